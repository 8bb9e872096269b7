import Foundation
import RDF

// kgfuse-bench: benchmarks that run kgfuse beside its peers in the same invocation and print ratios.
// Not a test: timings on a shared machine are noisy, so every figure is a median of interleaved runs.

let usage = """
    usage: kgfuse-bench embeddings [--dataset DIR] [--model rotate|transe|distmult|complex] [--threads N]
      Trains with `kgfuse embed` and with PyKEEN (Benchmarks/embeddings/pykeen_peer.py) on the same settings.
    usage: kgfuse-bench parse [FILE]
      Parses an RDF/XML file in process and prints the time (the parser's share of a load).
    usage: kgfuse-bench load [--runs N] [--ontology FILE] [--kgfuse PATH]
      Loads the ontology (default ../shared/ontologies/hpo/hp.owl) into a fresh kgfuse store and compares the
      wall time and peak memory with `rapper -c` (parse only) and owlready2 (parse into SQLite), run alternately.
    usage: kgfuse-bench diagnose [--cases N] [--data DIR] [--model DIR]
      Times N explained, audited diagnoses (default 200) of CWRU load-1 windows in one process: median, p90, stages.
    usage: kgfuse-bench text-encoder|fusion [--threads N] [--batch B] [--rounds R] [--runs K] [--settle MS] [--python PATH]
      all-MiniLM-L6-v2 sentence embeddings, or the fusion forward pass, in process beside ONNX Runtime
      (Benchmarks/{text-encoder,fusion}/peer.py --serve), interleaved; wall and CPU medians and ratios.
      Each side starts after a pause of MS milliseconds (default 200), so the other side's spinning threads are idle.
      `fusion --training` times a training step at batch 32 beside PyTorch instead.
    usage: kgfuse-bench reason [--ontology pato|hp|FILE] [--runs N] [--owlrl-timeout S] [--derivations-per-fact N|all] [--engine-only]
      OWL 2 RL closure: `kgfuse load` + `kgfuse reason --profile owl-rl`, reasonable and owlrl (with a timeout), side by side.
    """

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { print(usage); exit(2) }
if arguments.contains("--help") || arguments.contains("-h") || command == "help" { print(usage); exit(0) }
do {
    switch command {
    case "parse":
        // Parse only, in process: the RDF/XML parser's share of a load.
        let path = arguments.count > 1 ? arguments[1] : "../shared/ontologies/hpo/hp.owl"
        var count = 0
        let started = Date()
        try RDFXMLParser().parse(fileAt: path) { _ in count += 1 }
        print("parsed \(count) triples in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
    case "embeddings":
        try EmbeddingBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "load":
        try LoadBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "diagnose":
        try DiagnosisBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "text-encoder":
        try TextEncoderLatencyBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "fusion":
        try FusionLatencyBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "reason":
        try ReasonBenchmark(arguments: Array(arguments.dropFirst())).run()
    default:
        FileHandle.standardError.write(Data("kgfuse-bench: unknown benchmark '\(command)'\n".utf8))
        print(usage)
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("kgfuse-bench \(command): \(error)\n".utf8))
    exit(1)
}
