import Foundation
import Hashing
import RDF

/// The RDF syntaxes kgfuse reads.
public enum RDFFormat: String, Sendable, CaseIterable {
    case rdfxml, ntriples, turtle

    /// The format a file name suggests: `.nt` is N-Triples, `.ttl` Turtle, anything else RDF/XML
    /// (`.owl`, `.rdf`, `.xml`).
    public static func guess(fromPath path: String) -> RDFFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".nt") { return .ntriples }
        if lower.hasSuffix(".ttl") { return .turtle }
        return .rdfxml
    }
}

/// A document that could not be loaded; nothing was changed in the store.
public struct LoadError: Error, CustomStringConvertible, Sendable {
    /// The file that failed.
    public var path: String
    /// The underlying cause (an `RDFSyntaxError`, a `StoreError`, or a read error).
    public var cause: any Error & Sendable

    /// The cause, followed by the assurance that the store was not changed.
    public var description: String {
        let reason: String
        if let syntax = cause as? RDFSyntaxError { reason = syntax.description }
        else { reason = "\(path): \(cause)" }
        return reason + "\n(nothing was changed in the store)"
    }
}

extension KnowledgeStore {
    /// The graph IRI used when none is given: the file's absolute `file://` URL.
    public static func defaultGraphIRI(forPath path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.absoluteString
    }

    /// Parses a file and replaces the graph `graphIRI` (default: the file's URL) with its triples, in one transaction.
    ///
    /// - Parameters:
    ///   - format: the syntax; guessed from the extension when nil.
    ///   - baseIRI: the base for relative IRIs; the file's URL when nil.
    ///   - progress: called with (bytes read, total bytes) while a large file is parsed.
    public func loadFile(at path: String, format: RDFFormat? = nil, graphIRI: String? = nil, baseIRI: String? = nil,
                         progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> LoadSummary {
        let fileURL = KnowledgeStore.defaultGraphIRI(forPath: path)
        let format = format ?? RDFFormat.guess(fromPath: path)
        let base = baseIRI ?? fileURL
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LoadError(path: path, cause: StoreError(.badInput, "cannot read file"))
        }
        do {
            let sha256 = try SHA256.hex(ofFileAt: path)
            return try loadGraph(iri: graphIRI ?? fileURL, source: path, sha256: sha256) { sink in
                switch format {
                case .ntriples:
                    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                    try NTriplesParser(documentName: path).parse(bytes: bytes) { try sink.add($0) }
                case .rdfxml:
                    try RDFXMLParser(baseIRI: base, documentName: path).parse(
                        fileAt: path, progress: progress, onPrefix: { sink.addPrefix($0, $1) }, onTriple: { try sink.add($0) })
                case .turtle:
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    try TurtleParser(baseIRI: base, documentName: path).parse(
                        text, onPrefix: { sink.addPrefix($0, $1) }, onTriple: { try sink.add($0) })
                }
            }
        } catch let error as LoadError {
            throw error
        } catch let error as RDFSyntaxError {
            throw LoadError(path: path, cause: error)
        } catch let error as StoreError {
            throw LoadError(path: path, cause: error)
        } catch {
            throw LoadError(path: path, cause: StoreError(.badInput, "\(error)"))
        }
    }
}
