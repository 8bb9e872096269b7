import Foundation
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// Malicious RDF/XML loaded through the store: refused with an error, nothing read on the document's behalf,
/// and the store unchanged.
@Suite("Malicious XML leaves the store unchanged")
struct MaliciousXMLStoreTests {
    static let marker = "KGFUSE-SECRET-\(UUID().uuidString)"

    /// A local file an attacker would like to read.
    static func secretFile() throws -> String {
        let path = TestPaths.temporaryDirectory("secret").appendingPathComponent("secret.txt").path
        try marker.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func documents() throws -> [(String, String)] {
        let secret = try secretFile()
        let laughs = (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 - 1);", count: 10) + "\">" }.joined(separator: "\n")
        return [
            ("external entity", """
                <?xml version="1.0"?>
                <!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file://\(secret)"> ]>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
                  <rdf:Description rdf:about="http://example.org/a"><ex:p>&secret;</ex:p></rdf:Description>
                </rdf:RDF>
                """),
            ("external DTD", """
                <?xml version="1.0"?>
                <!DOCTYPE rdf:RDF SYSTEM "file://\(secret)">
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
                  <rdf:Description rdf:about="http://example.org/a"><ex:p>&undefined;</ex:p></rdf:Description>
                </rdf:RDF>
                """),
            ("billion laughs", """
                <?xml version="1.0"?>
                <!DOCTYPE rdf:RDF [ <!ENTITY lol0 "lol">
                \(laughs) ]>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
                  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>
                </rdf:RDF>
                """),
        ]
    }

    @Test("external entities, external DTDs and entity bombs are refused and change nothing")
    func refused() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let before = try exportAll(store)
        let graphsBefore = try store.graphs()
        let folder = TestPaths.temporaryDirectory("malicious")
        for (name, text) in try Self.documents() {
            let path = folder.appendingPathComponent(name.replacingOccurrences(of: " ", with: "-") + ".rdf").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var refused = false
            do {
                _ = try store.loadFile(at: path)
            } catch let error as LoadError {
                refused = true
                #expect(error.cause is RDFSyntaxError, "\(name): \(error)")
                #expect(!"\(error)".contains(Self.marker), "\(name): the error quotes the secret file")
            }
            #expect(refused, "\(name) must be refused")
            #expect(try exportAll(store) == before, "\(name) changed the store")
            #expect(try store.graphs() == graphsBefore)
        }
        #expect(!(try exportAll(store)).contains { $0.contains(Self.marker) })
    }
}
