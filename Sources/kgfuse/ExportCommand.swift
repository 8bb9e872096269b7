import ArgumentParser
import Foundation
import KnowledgeStore
import RDF

/// `kgfuse export`: writes stored triples as N-Triples on stdout.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the stored triples as N-Triples on stdout.",
        discussion: "Without --graph, the distinct triples of all graphs, inferred graphs included unless --asserted.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Export only this graph.", valueName: "IRI"))
    var graph: String?

    @Option(help: "The output syntax (only ntriples).")
    var format: String = "ntriples"

    @Flag(help: "Leave out the graphs produced by reasoning.")
    var asserted = false

    func validate() throws {
        if format != "ntriples" { throw ValidationError("--format: only ntriples can be exported") }
    }

    func run() throws {
        let store = try storeOptions.open()
        if let graph, try store.graph(iri: graph) == nil {
            throw ValidationError("no graph <\(graph)> in \(store.path); `kgfuse stats` lists the graphs")
        }
        let output = BufferedOutput()
        try store.forEachTriple(graphIRI: graph, includeInferred: !asserted) { triple in
            output.write(NTriplesWriter.line(triple))
            output.write("\n")
        }
        output.flush()
    }
}

/// Buffers stdout writes into large blocks.
final class BufferedOutput: @unchecked Sendable {
    private var buffer: [UInt8] = []

    /// Appends text, flushing every 1 MiB.
    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what is buffered to stdout.
    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
