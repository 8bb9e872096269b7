import Foundation
import RDF
import Testing

/// Real ontologies from `../shared/ontologies`: each parses, and gives as many triples as Raptor's `rapper`.
@Suite("RDF/XML on real ontologies")
struct RDFXMLOntologyTests {
    /// Every `.owl` and `.rdf` file under `../shared/ontologies`, by path relative to that folder.
    static let ontologies: [String] = {
        let root = RDFXMLTestSupport.sharedRoot + "/ontologies"
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".owl") || $0.hasSuffix(".rdf") }
            .sorted()
    }()

    @Test("the shared ontologies are there")
    func ontologiesPresent() {
        #expect(Self.ontologies.count >= 13)
        #expect(Self.ontologies.contains("hpo/hp.owl"))
    }

    /// The triple count `rapper -c -i rdfxml` reports, or nil when rapper is not installed.
    static func rapperCount(_ path: String) throws -> Int? {
        let rapper = "/usr/bin/rapper"
        guard FileManager.default.isExecutableFile(atPath: rapper) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rapper)
        process.arguments = ["-c", "-i", "rdfxml", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "rapper: Parsing returned 5522 triples"
        guard let range = output.range(of: "returned ") else { return nil }
        return Int(output[range.upperBound...].prefix(while: \.isNumber))
    }

    @Test("parses and matches rapper's triple count", arguments: ontologies)
    func ontology(_ relativePath: String) throws {
        let path = RDFXMLTestSupport.sharedRoot + "/ontologies/" + relativePath
        var emitted = 0
        var distinct = Set<Triple>()
        var lastProgress = (0, 0)
        var prefixes: [String: String] = [:]
        try RDFXMLParser().parse(fileAt: path, progress: { lastProgress = ($0, $1) },
                                 onPrefix: { prefixes[$0] = $1 }) { triple in
            emitted += 1
            distinct.insert(triple)
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? -1
        #expect(lastProgress == (size, size))
        #expect(prefixes["rdf"] == Vocabulary.RDF.namespace)
        #expect(distinct.count > 0)
        print("RDFXML-COUNT \(relativePath) emitted=\(emitted) distinct=\(distinct.count)")
        if let expected = try Self.rapperCount(path) {
            print("RDFXML-COUNT \(relativePath) rapper=\(expected)")
            #expect(emitted == expected, "\(relativePath): \(emitted) triples, rapper reports \(expected)")
        }
    }

    /// rapper's N-Triples output for a file, or nil when rapper is not installed.
    static func rapperTriples(_ path: String) throws -> [Triple]? {
        let rapper = "/usr/bin/rapper"
        guard FileManager.default.isExecutableFile(atPath: rapper) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rapper)
        process.arguments = ["-q", "-i", "rdfxml", "-o", "ntriples", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var triples: [Triple] = []
        try NTriplesParser(documentName: "rapper output").parse(bytes: Array(data)) { triples.append($0) }
        return triples
    }

    // The larger ontologies also match rapper's graphs (checked by hand), but the isomorphism check takes
    // minutes on their thousands of blank nodes; these four keep the test suite fast.
    @Test("gives a graph isomorphic to rapper's", arguments: ["sosa/sosa.rdf", "ssn/ssn.rdf", "iof-maintenance/Maintenance.rdf", "symp/symp.owl"])
    func isomorphicToRapper(_ relativePath: String) throws {
        let path = RDFXMLTestSupport.sharedRoot + "/ontologies/" + relativePath
        guard let expected = try Self.rapperTriples(path) else { return }
        var actual: [Triple] = []
        try RDFXMLParser().parse(fileAt: path) { actual.append($0) }
        #expect(actual.count == expected.count)
        #expect(GraphIsomorphism.areIsomorphic(actual, expected))
    }

    @Test("a file streamed in chunks gives the same triples, in the same order, as the whole bytes")
    func chunkedEqualsWhole() throws {
        let path = RDFXMLTestSupport.sharedRoot + "/ontologies/pato/pato-base.owl"
        var streamed: [Triple] = []
        try RDFXMLParser(baseIRI: "http://example.org/", documentName: path).parse(fileAt: path) { streamed.append($0) }
        let whole = try RDFXMLTestSupport.triples(RDFXMLTestSupport.bytes(of: path), baseIRI: "http://example.org/", documentName: path)
        #expect(streamed.count > 30_000)
        #expect(streamed == whole)
    }
}
