import Foundation

extension DiagnosisReport {
    /// Human names of the statuses.
    static let statusText = [
        "confirmed": "confirmed by the rule post-check",
        "unsupported": "NOT supported: no envelope peak at its characteristic frequency — inspect",
        "overruled": "the model's first choice was vetoed by the rules; this is the best class left",
        "all_vetoed": "every class was vetoed by the rules — inspect",
    ]

    /// The report for a person at a terminal.
    public var text: String {
        var lines: [String] = []
        let channels = input.signals.keys.sorted().joined(separator: ", ")
        lines.append("Case \(input.id): \(channels) · \(Self.number(input.rpm)) rpm · window "
                     + "\(Self.number(input.windowStartSeconds))–\(Self.number(input.windowStartSeconds + input.windowSeconds)) s")
        lines.append("")
        lines.append("  Answer   \(answer.diagnosis.label) — probability \(Self.percent(answer.checkedProbability)) "
                     + "(model \(Self.percent(answer.probability)), calibrated)")
        lines.append("           \(Self.statusText[answer.status] ?? answer.status)")
        if answer.urgency != nil || answer.severity != nil {
            lines.append("  Triage   \(answer.urgency?.label ?? "no urgency derived")\(answer.severity.map { " · severity: \($0.label)" } ?? "")")
        }
        let peaks = knowledgeTokens.filter { $0.link.kind == .peak }
        lines.append("")
        lines.append("  Evidence (envelope spectra)")
        if peaks.isEmpty { lines.append("    no envelope peak at any characteristic frequency") }
        for token in peaks {
            let link = token.link
            lines.append("    • \(token.entity.label): peak at \(Self.number(link.peakHz ?? 0)) Hz (expected \(Self.number(link.expectedHz ?? 0)) Hz), "
                         + "prominence \(Self.number(link.peakRatio ?? 0)) over the local floor, on \(Self.sensorName(link.sensor))")
        }
        // The checks a person reads: those about the answer, and vetoes of the classes ranked in the top three.
        let topThree = Set(ranking.prefix(3).map(\.diagnosis.value) + [answer.diagnosis.value])
        let allChecks = firings.filter { ["veto", "require", "flag", "inconsistency"].contains($0.action) }
        let checks = allChecks.filter { firing in
            guard let subject = firing.bindings["k"]?.value else { return true }
            return subject == answer.diagnosis.value || (firing.action == "veto" && topThree.contains(subject))
        }
        if !checks.isEmpty {
            lines.append("")
            lines.append("  Rule checks (\(allChecks.count - checks.count) more on lower-ranked classes in --json)")
            for firing in checks {
                let subject = firing.bindings["k"]?.label ?? firing.bindings["p"]?.label ?? ""
                let verdict: String
                switch firing.action {
                case "require": verdict = firing.satisfied == true ? "met" : "NOT met"
                case "veto": verdict = "VETO"
                default: verdict = firing.action
                }
                lines.append("    • [\(verdict)] \(subject): \(firing.description ?? firing.rule) (\(firing.rule))")
            }
        }
        lines.append("")
        lines.append("  Ranking   model → after post-check")
        for entry in ranking.prefix(4) {
            let name = entry.diagnosis.label.padding(toLength: 28, withPad: " ", startingAt: 0)
            let veto = entry.vetoedBy.isEmpty ? "" : "  vetoed (\(entry.vetoedBy.joined(separator: ", ")))"
            lines.append("    \(entry.rank)  \(name) \(Self.percent(entry.probability)) → \(Self.percent(entry.checkedProbability))\(veto)")
        }
        lines.append("")
        let gateText = gate.keys.sorted().map { "\($0) \(String(format: "%.2f", gate[$0]!))" }.joined(separator: " · ")
        lines.append("  Modality weights (gate)  \(gateText)")
        if !knowledgeTokens.isEmpty {
            let tokenText = knowledgeTokens.map { "\($0.entity.label) \(String(format: "%.3f", $0.attention))" }.joined(separator: " · ")
            lines.append("  KG tokens (attention)    \(tokenText)")
        }
        lines.append("  Ontology facts used      \(graphFacts.count)")
        lines.append("")
        let audit = provenance.auditRun.map { "audit run \($0) (kgfuse audit --run \($0))" } ?? "not written to the audit log"
        lines.append("  \(audit) · model \(provenance.modelSHA256.prefix(12)) · rules \(provenance.rulesetSHA256.prefix(12))"
                     + " · \(String(format: "%.1f", timingMilliseconds["total"] ?? 0)) ms")
        return lines.joined(separator: "\n")
    }

    /// "DE accelerometer" from a sensor IRI.
    static func sensorName(_ sensor: String?) -> String {
        guard let sensor, let local = sensor.split(separator: "#").last, local.hasPrefix("sensor") else { return sensor ?? "?" }
        return "the \(local.dropFirst("sensor".count)) accelerometer"
    }

    /// A number with at most one decimal, without trailing zeros.
    static func number(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// 0.9623 → "96.2 %".
    static func percent(_ value: Float) -> String { String(format: "%.1f %%", value * 100) }
}
