import Foundation
import RDF

/// Paths and helpers shared by the RDF/XML test suites.
enum RDFXMLTestSupport {
    /// The repository root: this file is `Tests/RDFTests/RDFXMLTestSupport.swift`.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `../shared` beside the repository (real ontologies, data sets).
    static let sharedRoot: String = URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent()
        .appendingPathComponent("shared").path

    /// The copied W3C RDF/XML test suite.
    static let conformanceRoot = repositoryRoot + "/Tests/Conformance/rdf-xml"

    /// The bytes of a file.
    static func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Parses RDF/XML bytes and returns the triples in document order.
    static func triples(_ bytes: [UInt8], baseIRI: String? = nil, documentName: String? = nil) throws -> [Triple] {
        var triples: [Triple] = []
        try RDFXMLParser(baseIRI: baseIRI, documentName: documentName).parse(bytes: bytes) { triples.append($0) }
        return triples
    }

    /// Parses RDF/XML text and returns the triples in document order.
    static func triples(_ text: String, baseIRI: String? = nil, documentName: String? = nil) throws -> [Triple] {
        try triples(Array(text.utf8), baseIRI: baseIRI, documentName: documentName)
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-rdfxml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
