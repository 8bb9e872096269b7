import Foundation
import RDF
import Testing

/// The RDF/XML parser never reads anything on a document's behalf, and refuses entity-expansion bombs.
@Suite("Safe XML: external entities, external DTDs, entity expansion bombs")
struct SafeXMLTests {
    static let header = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
        """

    /// Parses `text`, collecting every triple emitted before an error, and returns both.
    static func parse(_ text: String) -> (triples: [Triple], error: RDFSyntaxError?) {
        var triples: [Triple] = []
        do {
            try RDFXMLParser(baseIRI: "http://example.org/doc", documentName: "doc.rdf").parse(bytes: Array(text.utf8)) {
                triples.append($0)
            }
            return (triples, nil)
        } catch let error as RDFSyntaxError {
            return (triples, error)
        } catch {
            Issue.record("unexpected error type: \(error)")
            return (triples, nil)
        }
    }

    /// A temporary file holding `content`, with a marker no test input contains.
    static func secretFile(content: (String) -> String) throws -> (path: String, marker: String) {
        let marker = "KGFUSE-SECRET-\(UUID().uuidString)"
        let directory = try RDFXMLTestSupport.temporaryDirectory()
        let path = directory.appendingPathComponent("secret.txt").path
        try content(marker).write(toFile: path, atomically: true, encoding: .utf8)
        return (path, marker)
    }

    static func mentions(_ triples: [Triple], _ marker: String) -> Bool {
        triples.contains { $0.description.contains(marker) }
    }

    @Test("internal DTD entities are expanded in attributes and text (the OWL &owl;Thing idiom)")
    func internalEntitiesExpand() throws {
        let (triples, error) = Self.parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF [
              <!ENTITY owl "http://www.w3.org/2002/07/owl#">
              <!ENTITY greeting "hello &amp; welcome">
            ]>
            \(Self.header)
              <owl:Class xmlns:owl="&owl;" rdf:about="http://example.org/A">
                <ex:note>&greeting;, &greeting;</ex:note>
                <ex:kind rdf:resource="&owl;Thing"/>
              </owl:Class>
            </rdf:RDF>
            """)
        #expect(error == nil)
        let a = Term.iri("http://example.org/A")
        #expect(Set(triples) == [
            Triple(a, .iri(Vocabulary.RDF.type), .iri("http://www.w3.org/2002/07/owl#Class")),
            Triple(a, .iri("http://example.org/note"), .literal(Literal("hello & welcome, hello & welcome"))),
            Triple(a, .iri("http://example.org/kind"), .iri("http://www.w3.org/2002/07/owl#Thing")),
        ])
    }

    @Test("an external general entity pointing at a local file is never read")
    func externalGeneralEntity() throws {
        let secret = try Self.secretFile { $0 }
        let (triples, error) = Self.parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file://\(secret.path)"> ]>
            \(Self.header)
              <rdf:Description rdf:about="http://example.org/a"><ex:p>[&secret;]</ex:p></rdf:Description>
            </rdf:RDF>
            """)
        #expect(!Self.mentions(triples, secret.marker))
        let failure = try #require(error)
        #expect(failure.message.contains("external"))
        #expect(failure.line == 4)
    }

    @Test("an external parameter entity is never loaded, so the entities it would declare stay undefined")
    func externalParameterEntity() throws {
        let secret = try Self.secretFile { "<!ENTITY leak \"\($0)\">" }
        let (triples, error) = Self.parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF [ <!ENTITY % definitions SYSTEM "file://\(secret.path)"> %definitions; ]>
            \(Self.header)
              <rdf:Description rdf:about="http://example.org/a"><ex:p>[&leak;]</ex:p></rdf:Description>
            </rdf:RDF>
            """)
        #expect(!Self.mentions(triples, secret.marker))
        #expect(error != nil)
    }

    @Test("an external DTD is never loaded")
    func externalDTD() throws {
        let secret = try Self.secretFile { "<!ENTITY leak \"\($0)\">" }
        let (triples, error) = Self.parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF SYSTEM "file://\(secret.path)">
            \(Self.header)
              <rdf:Description rdf:about="http://example.org/a" ex:q="[&leak;]"><ex:p>[&leak;]</ex:p></rdf:Description>
            </rdf:RDF>
            """)
        #expect(!Self.mentions(triples, secret.marker))
        let failure = try #require(error)
        #expect(failure.message.contains("leak"))
    }

    @Test("an external DTD that is not needed does not stop the parse")
    func unusedExternalDTD() throws {
        let secret = try Self.secretFile { "<!ENTITY leak \"\($0)\">" }
        let (triples, error) = Self.parse("""
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF SYSTEM "file://\(secret.path)">
            \(Self.header)
              <rdf:Description rdf:about="http://example.org/a"><ex:p>plain</ex:p></rdf:Description>
            </rdf:RDF>
            """)
        #expect(error == nil)
        #expect(triples == [Triple(.iri("http://example.org/a"), .iri("http://example.org/p"), .literal(Literal("plain")))])
    }

    /// Ten levels of ten references each: 10^9 copies of "lol" if expanded.
    static func billionLaughs(inAttribute: Bool) -> String {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol0 \"lol\">\n"
        for level in 1...9 {
            text += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        text += "]>\n" + header + "\n<rdf:Description rdf:about=\"http://example.org/a\">"
        text += inAttribute ? "<ex:p ex:q=\"&lol9;\"/>" : "<ex:p>&lol9;</ex:p>"
        return text + "</rdf:Description></rdf:RDF>\n"
    }

    @Test("billion laughs is refused with an error", arguments: [false, true])
    func billionLaughs(inAttribute: Bool) {
        let (triples, error) = Self.parse(Self.billionLaughs(inAttribute: inAttribute))
        #expect(error != nil)
        #expect(triples.allSatisfy { $0.object.literalValue == nil })
    }

    /// One 50,000-character entity referenced 50,000 times: 2.5 × 10^9 characters if expanded.
    static func quadraticBlowup(inAttribute: Bool) -> String {
        let entity = String(repeating: "A", count: 50_000)
        let references = String(repeating: "&a;", count: 50_000)
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY a \"\(entity)\"> ]>\n" + header
        text += "\n<rdf:Description rdf:about=\"http://example.org/a\">"
        text += inAttribute ? "<ex:p ex:q=\"\(references)\"/>" : "<ex:p>\(references)</ex:p>"
        return text + "</rdf:Description></rdf:RDF>\n"
    }

    @Test("quadratic blowup is refused with an error", arguments: [false, true])
    func quadraticBlowup(inAttribute: Bool) {
        let (triples, error) = Self.parse(Self.quadraticBlowup(inAttribute: inAttribute))
        #expect(error != nil)
        #expect(triples.allSatisfy { $0.object.literalValue == nil })
    }
}
