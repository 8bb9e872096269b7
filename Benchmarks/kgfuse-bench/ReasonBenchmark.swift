import Foundation
import RDF
import Rules

/// `kgfuse-bench reason`: OWL 2 RL closure of an ontology by kgfuse (through the store: `kgfuse load` then
/// `kgfuse reason --profile owl-rl`), reasonable and owlrl (Benchmarks/reasoning/peers.py, owlrl under a timeout),
/// each in its own process; prints wall seconds, peak memory, inferred triples and kgfuse's ratios.
/// `--engine-only` instead runs the in-memory engine on the ontology in this process and prints per-rule matches.
struct ReasonBenchmark {
    var ontology: String
    var kgfuse: String
    var owlrlTimeout = 900
    var runs = 1
    var engineOnly = false
    var derivationsPerFact: String?

    init(arguments: [String]) throws {
        let root = repositoryRoot()
        ontology = root.deletingLastPathComponent().appendingPathComponent("shared/ontologies/pato/pato-base.owl").path
        kgfuse = root.appendingPathComponent(".build/release/kgfuse").path
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--ontology":
                switch value {
                case "pato": ontology = root.deletingLastPathComponent().appendingPathComponent("shared/ontologies/pato/pato-base.owl").path
                case "hp", "hpo": ontology = root.deletingLastPathComponent().appendingPathComponent("shared/ontologies/hpo/hp.owl").path
                default: ontology = value
                }
            case "--kgfuse": kgfuse = value
            case "--owlrl-timeout": owlrlTimeout = Int(value) ?? 900
            case "--runs": runs = max(1, Int(value) ?? 1)
            case "--derivations-per-fact": derivationsPerFact = value
            case "--engine-only": engineOnly = true; i -= 1
            default: throw BenchmarkError("unknown option \(arguments[i])")
            }
            i += 2
        }
    }

    func run() throws {
        if engineOnly { try runEngine(); return }
        guard FileManager.default.isExecutableFile(atPath: kgfuse) else {
            throw BenchmarkError("\(kgfuse) not found: run `swift build -c release --product kgfuse` first")
        }
        let peers = repositoryRoot().appendingPathComponent("Benchmarks/reasoning/peers.py").path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-reason-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The peers read N-Triples (converted by rapper), so their parsing is comparable; kgfuse reads its store.
        let ntriples = scratch.appendingPathComponent("input.nt").path
        let conversion = try measure("/bin/sh", ["-c", "rapper -q -i rdfxml -o ntriples '\(ontology)' > '\(ntriples)'"])
        guard conversion.status == 0 else { throw BenchmarkError("rapper could not convert \(ontology)") }
        print("OWL 2 RL closure of \(ontology), \(runs) run(s) per tool, medians; each tool in its own process")
        var rows: [(name: String, wall: Double, reasoning: Double?, peak: Double, inferred: String)] = []
        var kgfuseWall: [Double] = [], kgfusePeak: [Double] = [], kgfuseReasoning: [Double] = [], kgfuseLoad: [Double] = []
        var kgfuseInferred = "?"
        var reasonableWall: [Double] = [], reasonablePeak: [Double] = [], reasonableReasoning: [Double] = []
        var reasonableInferred = "?"
        var kgfuseCPU: [Double] = [], reasonableCPU: [Double] = []
        for run in 1...runs {
            let store = scratch.appendingPathComponent("store-\(run).sqlite").path
            let load = try measure(kgfuse, ["load", "--store", store, ontology])
            guard load.status == 0 else { throw BenchmarkError("kgfuse load failed") }
            kgfuseLoad.append(load.seconds)
            var arguments = ["reason", "--store", store, "--profile", "owl-rl", "--json"]
            if let derivationsPerFact { arguments += ["--derivations-per-fact", derivationsPerFact] }
            let (reason, reasonCPU) = try ReasonBenchmark.measureCPU(kgfuse, arguments)
            kgfuseCPU.append(reasonCPU)
            guard reason.status == 0 else { throw BenchmarkError("kgfuse reason failed: \(reason.output)") }
            let report = ReasonBenchmark.lastJSON(reason.output)
            kgfuseWall.append(reason.seconds)
            kgfusePeak.append(reason.peakMegabytes)
            if let seconds = report["reason_seconds"] as? Double { kgfuseReasoning.append(seconds) }
            if let inferred = report["inferred"] as? Int { kgfuseInferred = String(inferred) }
            let (peer, peerCPU) = try ReasonBenchmark.measureCPU("python3", [peers, "reasonable", ntriples, "-"])
            reasonableCPU.append(peerCPU)
            guard peer.status == 0 else { throw BenchmarkError("reasonable failed (pip install reasonable): \(peer.output)") }
            let peerReport = ReasonBenchmark.lastJSON(peer.output)
            reasonableWall.append(peer.seconds)
            reasonablePeak.append(peer.peakMegabytes)
            if let seconds = peerReport["reason_seconds"] as? Double { reasonableReasoning.append(seconds) }
            if let inferred = peerReport["inferred"] as? Int { reasonableInferred = String(inferred) }
            print(String(format: "  run %d: kgfuse load %.2f s, kgfuse reason %.2f s (%.2f s CPU), reasonable %.2f s (%.2f s CPU)",
                         run, load.seconds, reason.seconds, reasonCPU, peer.seconds, peerCPU))
        }
        rows.append(("kgfuse reason (store → closure + log)", median(kgfuseWall), kgfuseReasoning.isEmpty ? nil : median(kgfuseReasoning),
                     median(kgfusePeak), kgfuseInferred))
        rows.append(("reasonable 0.4 (Python + Rust)", median(reasonableWall), reasonableReasoning.isEmpty ? nil : median(reasonableReasoning),
                     median(reasonablePeak), reasonableInferred))
        // owlrl once, under a timeout (it takes many minutes).
        let owlrl = try measure("timeout", [String(owlrlTimeout), "python3", peers, "owlrl", "owl-rl", ntriples, "-"])
        var owlrlFinished = false
        if owlrl.status == 0 {
            let report = ReasonBenchmark.lastJSON(owlrl.output)
            rows.append(("owlrl 7 (rdflib)", owlrl.seconds, report["reason_seconds"] as? Double, owlrl.peakMegabytes,
                         (report["inferred"] as? Int).map(String.init) ?? "?"))
            owlrlFinished = true
        } else {
            print("  owlrl did not finish within \(owlrlTimeout) s (status \(owlrl.status)); its row is a lower bound")
            rows.append(("owlrl 7 (rdflib), stopped at timeout", owlrl.seconds, nil, owlrl.peakMegabytes, "-"))
        }
        print(String(format: "\nkgfuse load (not part of the ratios): %.2f s", median(kgfuseLoad)))
        print("\ntool                                      wall s  reasoning s   peak MB   inferred   wall ÷ kgfuse's")
        let kgMedian = median(kgfuseWall)
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        for row in rows {
            print(row.name.padding(toLength: 40, withPad: " ", startingAt: 0)
                  + right(String(format: "%.2f", row.wall), 8) + right(row.reasoning.map { String(format: "%.2f", $0) } ?? "-", 13)
                  + right(String(format: "%.1f", row.peak), 10) + right(row.inferred, 11) + right(String(format: "%.2f×", row.wall / kgMedian), 17))
        }
        let reasonableMedian = median(reasonableWall)
        print(String(format: "\nkgfuse reason wall ÷ reasonable wall: %.2f (bar: ≤ 3); CPU: %.2f s ÷ %.2f s = %.2f", kgMedian / reasonableMedian,
                     median(kgfuseCPU), median(reasonableCPU), median(kgfuseCPU) / median(reasonableCPU)))
        if let kgReasoning = kgfuseReasoning.isEmpty ? nil : median(kgfuseReasoning), !reasonableReasoning.isEmpty {
            print(String(format: "kgfuse reasoning (engine + firing log) ÷ reasonable reasoning: %.2f", kgReasoning / median(reasonableReasoning)))
        }
        print(String(format: "owlrl wall ÷ kgfuse reason wall: %@%.1f (bar: ≥ 50)", owlrlFinished ? "" : "> ", owlrl.seconds / kgMedian))
        print("(reasonable implements part of OWL 2 RL: its closure is smaller; see Benchmarks/reasoning/owlrl_diff.py)")
    }

    /// Runs a command like `measure` (ChildProcess.swift) and also returns its CPU seconds (user + system, from the
    /// same wait4 rusage): on a shared machine CPU time is the steadier figure.
    static func measureCPU(_ executable: String, _ arguments: [String]) throws -> (Measurement, cpu: Double) {
        var before = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &before)
        let result = try measure(executable, arguments)
        var after = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &after)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        let cpu = seconds(after.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_utime) - seconds(before.ru_stime)
        return (result, cpu)
    }

    /// The last line of `output` that parses as a JSON object.
    static func lastJSON(_ output: String) -> [String: Any] {
        for line in output.split(separator: "\n").reversed() where line.hasPrefix("{") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] { return object }
        }
        return [:]
    }

    /// The engine alone, in this process, on the ontology parsed from RDF/XML.
    func runEngine() throws {
        let clock = ContinuousClock()
        var graph = InMemoryGraph()
        let parse = try clock.measure { try RDFXMLParser().parse(fileAt: ontology) { graph.insert($0) } }
        var options = Reasoner.Options()
        if let derivationsPerFact { options.maximumDerivationsPerFact = derivationsPerFact == "all" ? nil : Int(derivationsPerFact) }
        let reasoner = try Reasoner(programs: [try RuleProgram.owl2RL()], options: options)
        let load = try clock.measure { try reasoner.load(graph) }
        var summary: Reasoner.Summary?
        let reason = try clock.measure { summary = try reasoner.run() }
        guard let summary else { return }
        print("engine: \(graph.count) triples parsed in \(parse), loaded in \(load), reasoned in \(reason): "
              + "\(summary.derivedFacts) derived facts, \(summary.derivations) derivations kept, \(summary.rounds) rounds")
        for (rule, matches) in reasoner.matchesPerRule.sorted(by: { $0.value > $1.value }) where matches > 0 {
            print("  \(rule.padding(toLength: 12, withPad: " ", startingAt: 0)) \(matches) matches")
        }
    }
}
