import Foundation

/// `kgfuse-bench load`: kgfuse load vs rapper -c vs owlready2 on one ontology, interleaved runs, medians.
struct LoadBenchmark {
    var runs = 3
    var ontology: String
    var kgfuse: String

    init(arguments: [String]) throws {
        let root = repositoryRoot()
        ontology = root.deletingLastPathComponent().appendingPathComponent("shared/ontologies/hpo/hp.owl").path
        kgfuse = root.appendingPathComponent(".build/release/kgfuse").path
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--runs": runs = Int(value) ?? 3
            case "--ontology": ontology = value
            case "--kgfuse": kgfuse = value
            default: throw BenchmarkError("unknown option \(arguments[i])")
            }
            i += 2
        }
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: kgfuse) else {
            throw BenchmarkError("\(kgfuse) not found: run `swift build -c release --product kgfuse` first")
        }
        let peerScript = repositoryRoot().appendingPathComponent("Benchmarks/peers/owlready2_load.py").path
        let hasOwlready = (try? measure("python3", ["-c", "import owlready2"]))?.status == 0
        if !hasOwlready { print("owlready2 is not installed (pip install owlready2): its column is skipped") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        print("load benchmark: \(ontology), \(runs) interleaved runs each, medians; file systems synced before each run")
        var results: [String: [Measurement]] = [:]
        for run in 1...runs {
            let store = scratch.appendingPathComponent("kgfuse-\(run).sqlite").path
            // Each timed run starts with nothing left for the disk to write: without this, the first fsync of a run
            // also flushes what the run before it (another tool's database file, say) left in the page cache.
            sync()
            let kg = try measure(kgfuse, ["load", "--store", store, "--json", ontology], environment: ["OPENBLAS_NUM_THREADS": "1"])
            guard kg.status == 0 else { throw BenchmarkError("kgfuse load failed: \(kg.output)") }
            results["kgfuse load (parse + indexed SQLite store)", default: []].append(kg)
            sync()
            let rapper = try measure("rapper", ["-c", "-i", "rdfxml", ontology])
            results["rapper -c (parse only)", default: []].append(rapper)
            if hasOwlready {
                sync()
                let owl = try measure("python3", [peerScript, ontology, scratch.appendingPathComponent("owlready-\(run).sqlite3").path])
                results["owlready2 (parse + SQLite quadstore)", default: []].append(owl)
            }
            print("  run \(run): kgfuse \(String(format: "%.2f", kg.seconds)) s, rapper \(String(format: "%.2f", rapper.seconds)) s" +
                  (results["owlready2 (parse + SQLite quadstore)"]?.last.map { String(format: ", owlready2 %.2f s", $0.seconds) } ?? ""))
        }
        let kgMedian = median(results["kgfuse load (parse + indexed SQLite store)"]!.map(\.seconds))
        print("")
        print("tool                                          wall s   peak MB   kgfuse time ratio")
        for name in ["kgfuse load (parse + indexed SQLite store)", "rapper -c (parse only)", "owlready2 (parse + SQLite quadstore)"] {
            guard let measurements = results[name] else { continue }
            let seconds = median(measurements.map(\.seconds))
            let memory = median(measurements.map(\.peakMegabytes))
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0) +
                  String(format: "%8.2f  %8.1f   %6.2f×", seconds, memory, kgMedian / seconds))
        }
        print("\n(ratio = kgfuse wall time ÷ the tool's wall time; below 1 means kgfuse is faster)")
    }
}
