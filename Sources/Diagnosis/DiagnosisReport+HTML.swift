import Foundation

extension DiagnosisReport {
    /// A self-contained HTML page of the report: no scripts, no external resources, styles inline.
    public var html: String {
        var body = ""
        body += "<header><h1>kgfuse diagnosis — case \(Self.escape(input.id))</h1>"
        body += "<p class=\"meta\">\(Self.escape(input.signals.keys.sorted().joined(separator: ", "))) · \(Self.number(input.rpm)) rpm · window "
            + "\(Self.number(input.windowStartSeconds))–\(Self.number(input.windowStartSeconds + input.windowSeconds)) s</p></header>"
        body += "<section class=\"answer status-\(Self.escape(answer.status))\"><h2>\(Self.escape(answer.diagnosis.label))</h2>"
        body += "<p class=\"probability\">\(Self.percent(answer.checkedProbability)) <span>(model \(Self.percent(answer.probability)), calibrated)</span></p>"
        body += "<p>\(Self.escape(Self.statusText[answer.status] ?? answer.status))</p>"
        if let urgency = answer.urgency {
            body += "<p class=\"triage\">Triage: <strong>\(Self.escape(urgency.label))</strong>"
                + (answer.severity.map { " · severity: \(Self.escape($0.label))" } ?? "") + "</p>"
        }
        body += "</section>"

        body += "<section><h2>Ranking</h2><table><thead><tr><th>#</th><th>class</th><th>model</th><th>after post-check</th><th>rules</th></tr></thead><tbody>"
        for entry in ranking {
            let rules = entry.vetoedBy.isEmpty
                ? (entry.requirementMet.map { $0 ? "requirement met" : "requirement not met" } ?? "")
                : "vetoed: " + entry.vetoedBy.joined(separator: ", ")
            body += "<tr\(entry.vetoedBy.isEmpty ? "" : " class=\"vetoed\"")><td>\(entry.rank)</td>"
                + "<td title=\"\(Self.escape(entry.diagnosis.value))\">\(Self.escape(entry.diagnosis.label))</td>"
                + "<td>\(Self.bar(entry.probability))</td><td>\(Self.bar(entry.checkedProbability))</td><td>\(Self.escape(rules))</td></tr>"
        }
        body += "</tbody></table></section>"

        body += "<section><h2>Modality weights (gate)</h2><table><tbody>"
        for name in gate.keys.sorted() { body += "<tr><td>\(Self.escape(name))</td><td>\(Self.bar(gate[name]!))</td></tr>" }
        body += "</tbody></table></section>"

        body += "<section><h2>Knowledge-graph tokens</h2><table><thead><tr><th>entity</th><th>link</th><th>attention</th></tr></thead><tbody>"
        for token in knowledgeTokens {
            let link = token.link
            let detail = link.kind == .peak
                ? "peak \(Self.number(link.peakHz ?? 0)) Hz (expected \(Self.number(link.expectedHz ?? 0)) Hz), prominence \(Self.number(link.peakRatio ?? 0))"
                : "equipment named by the case"
            body += "<tr><td title=\"\(Self.escape(token.entity.value))\">\(Self.escape(token.entity.label))</td><td>\(Self.escape(detail))</td>"
                + "<td>\(Self.bar(token.attention))</td></tr>"
        }
        body += "</tbody></table></section>"

        body += "<section><h2>Rule firings</h2>"
        for firing in firings {
            let verdict = firing.action == "require" ? (firing.satisfied == true ? " — met" : " — NOT met") : ""
            body += "<details class=\"firing \(Self.escape(firing.action))\"><summary><code>\(Self.escape(firing.rule))</code> "
                + "<span class=\"action\">\(Self.escape(firing.action))\(verdict)</span> \(Self.escape(firing.description ?? ""))</summary>"
            body += "<p>bindings: " + firing.bindings.keys.sorted().map { "?\(Self.escape($0)) = \(Self.escape(firing.bindings[$0]!.label))" }
                .joined(separator: ", ") + "</p><ul>"
            for premise in firing.premises { body += "<li>\(Self.escape(premise.sentence))\(premise.fromOntology ? " <em>(ontology)</em>" : "")</li>" }
            body += "</ul>"
            if !firing.conclusion.isEmpty {
                body += "<p>⇒ " + firing.conclusion.map { Self.escape($0.sentence) }.joined(separator: "; ") + "</p>"
            }
            body += "</details>"
        }
        body += "</section>"

        body += "<section><h2>Ontology facts used</h2><ul>"
        for fact in graphFacts { body += "<li>\(Self.escape(fact.sentence))</li>" }
        body += "</ul></section>"

        body += "<footer><p>audit run: \(provenance.auditRun.map(String.init) ?? "not logged") · model sha256 \(Self.escape(provenance.modelSHA256)) · "
            + "rule set sha256 \(Self.escape(provenance.rulesetSHA256)) · input sha256 \(Self.escape(input.sha256))</p></footer>"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>kgfuse diagnosis — \(Self.escape(input.id))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222;line-height:1.4}
            h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}.meta{color:#666}
            .answer{border:2px solid #2a7;border-radius:6px;padding:0 1rem}.answer h2{font-size:1.5rem}
            .status-unsupported,.status-all_vetoed{border-color:#c60}.status-overruled{border-color:#e90}
            .probability{font-size:1.3rem}.probability span{font-size:.9rem;color:#666}
            table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #eee}
            .bar{display:inline-block;height:.7rem;background:#48a;vertical-align:middle;margin-right:.4rem}
            tr.vetoed td{color:#a33;text-decoration:line-through}details{margin:.3rem 0}.veto .action{color:#a33;font-weight:bold}
            .require .action{color:#06c}footer{margin-top:2rem;color:#777;font-size:.8rem;word-break:break-all}
            </style></head><body>
            \(body)
            </body></html>

            """
    }

    /// A bar of width proportional to `value` ∈ [0, 1] with the value printed.
    static func bar(_ value: Float) -> String {
        let width = Int((max(0, min(1, value)) * 120).rounded())
        return "<span class=\"bar\" style=\"width:\(width)px\"></span>\(String(format: "%.3f", value))"
    }

    /// Escapes &, <, >, " and ' for HTML text and attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
