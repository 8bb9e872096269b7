import ArgumentParser
import Foundation
import KnowledgeStore

extension RDFFormat: ExpressibleByArgument {}

/// `kgfuse load`: parses documents and stores each as a named graph, one transaction per file.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load RDF documents (RDF/XML, N-Triples, Turtle) into the knowledge store.",
        discussion: """
            Each file becomes one named graph (by default its file:// URL). Loading a file again replaces its graph.
            A file that fails to parse changes nothing: the error names the file, line and column.
            The format is taken from the extension (.nt N-Triples, .ttl Turtle, else RDF/XML) unless --format is given.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The graph IRI to load into (only with one file).", valueName: "IRI"))
    var graph: String?

    @Option(help: ArgumentHelp("The base IRI for relative IRIs (default: the file's URL).", valueName: "IRI"))
    var base: String?

    @Option(help: "The syntax: rdfxml, ntriples or turtle (default: from the extension).")
    var format: RDFFormat?

    @Flag(help: "Print one JSON object per file instead of a summary line.")
    var json = false

    @Argument(help: ArgumentHelp("The documents to load.", valueName: "FILE"))
    var files: [String]

    func validate() throws {
        if graph != nil && files.count > 1 { throw ValidationError("--graph names one graph; give one file with it") }
        if files.isEmpty { throw ValidationError("give at least one FILE to load") }
    }

    func run() throws {
        let store = try storeOptions.open()
        var failures = 0
        for file in files {
            let started = Date()
            let name = (file as NSString).lastPathComponent
            do {
                let summary = try store.loadFile(at: file, format: format, graphIRI: graph, baseIRI: base) { done, total in
                    if total > 0 { Terminal.progress("loading \(name)", fraction: Double(done) / Double(total)) }
                }
                Terminal.endProgress()
                let seconds = Date().timeIntervalSince(started)
                if json {
                    let object: [String: Any] = ["file": file, "graph": summary.graphIRI, "triples": summary.triples,
                                                 "terms": summary.terms, "replaced": summary.replaced, "seconds": seconds]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print("\(file): \(Terminal.grouped(summary.triples)) triples in \(String(format: "%.2f", seconds)) s" +
                          " → graph <\(summary.graphIRI)>\(summary.replaced ? " (replaced)" : "")")
                }
            } catch {
                Terminal.endProgress()
                Terminal.note("error: \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
