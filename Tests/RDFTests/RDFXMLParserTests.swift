import Foundation
import RDF
import Testing

/// Behaviour of the RDF/XML parser beyond the W3C suite: labels, scoping, canonical XML literals, errors.
@Suite("RDF/XML parser")
struct RDFXMLParserTests {
    static let rdf = Vocabulary.RDF.namespace
    static let open = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"
                 xmlns:xsd="http://www.w3.org/2001/XMLSchema#">
        """

    static func triples(_ body: String, base: String? = "http://example.org/doc") throws -> [Triple] {
        try RDFXMLTestSupport.triples(open + body + "</rdf:RDF>", baseIRI: base, documentName: "test.rdf")
    }

    static func error(_ body: String) -> RDFSyntaxError? {
        do {
            _ = try triples(body)
            return nil
        } catch {
            return error as? RDFSyntaxError
        }
    }

    @Test("generated blank nodes never clash with rdf:nodeID labels, even ones that look generated")
    func blankNodeLabels() throws {
        let result = try Self.triples("""
            <rdf:Description rdf:nodeID="g1"><ex:p>from nodeID</ex:p></rdf:Description>
            <rdf:Description><ex:p>anonymous</ex:p></rdf:Description>
            <rdf:Description rdf:nodeID="g1"><ex:q>same nodeID again</ex:q></rdf:Description>
            """)
        #expect(result.count == 3)
        let subjects = result.map(\.subject)
        #expect(subjects.allSatisfy { $0.isBlank })
        #expect(subjects[0] == subjects[2])
        #expect(subjects[0] != subjects[1])
    }

    @Test("xml:lang applies to property attributes, is reset by xml:lang=\"\", and rdf:datatype overrides it")
    func languageScoping() throws {
        let result = try Self.triples("""
            <rdf:Description rdf:about="http://example.org/a" xml:lang="en-GB" ex:title="Colour">
              <ex:label>Grey</ex:label>
              <ex:label xml:lang="">none</ex:label>
              <ex:count rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">7</ex:count>
              <ex:b rdf:parseType="Resource"><ex:inner>nested</ex:inner></ex:b>
            </rdf:Description>
            """)
        let objects = Dictionary(grouping: result, by: { $0.predicate }).mapValues { $0.map(\.object) }
        #expect(objects[.iri("http://example.org/title")] == [.literal(Literal("Colour", language: "en-gb"))])
        #expect(Set(objects[.iri("http://example.org/label")] ?? [])
                == [.literal(Literal("Grey", language: "en-gb")), .literal(Literal("none"))])
        #expect(objects[.iri("http://example.org/count")] == [.literal(Literal("7", datatype: Vocabulary.XSD.integer))])
        #expect(objects[.iri("http://example.org/inner")] == [.literal(Literal("nested", language: "en-gb"))])
    }

    @Test("xml:base applies to the element's own attributes and to its content, and is undone after it")
    func baseScoping() throws {
        let result = try Self.triples("""
            <rdf:Description rdf:about="a" xml:base="http://other.example/dir/">
              <ex:p rdf:resource="b"/>
              <ex:q rdf:resource="c" xml:base="http://third.example/"/>
            </rdf:Description>
            <rdf:Description rdf:about="d"><ex:r rdf:ID="s">v</ex:r></rdf:Description>
            """)
        let iris = Set(result.flatMap { [$0.subject, $0.object] }.compactMap(\.iriValue).map(\.value))
        #expect(iris.isSuperset(of: ["http://other.example/dir/a", "http://other.example/dir/b", "http://third.example/c",
                                     "http://example.org/d", "http://example.org/doc#s"]))
    }

    @Test("a relative IRI without any base is an error that says so")
    func relativeWithoutBase() {
        let error = #expect(throws: RDFSyntaxError.self) {
            _ = try Self.triples(#"<rdf:Description rdf:about="relative"/>"#, base: nil)
        }
        #expect(error?.message.contains("no base IRI") == true)
    }

    @Test("rdf:li numbers members per container, also after nested containers")
    func memberNumbering() throws {
        let result = try Self.triples("""
            <rdf:Seq rdf:about="http://example.org/s">
              <rdf:li>one</rdf:li>
              <rdf:li><rdf:Bag><rdf:li>inner</rdf:li></rdf:Bag></rdf:li>
              <rdf:li>three</rdf:li>
            </rdf:Seq>
            """)
        let outer = result.filter { $0.subject == .iri("http://example.org/s") }.map(\.predicate)
        #expect(outer == [.iri(Self.rdf + "type"), .iri(Self.rdf + "_1"), .iri(Self.rdf + "_2"), .iri(Self.rdf + "_3")])
        #expect(result.contains { $0.subject.isBlank && $0.predicate == .iri(Self.rdf + "_1") && $0.object == .literal(Literal("inner")) })
    }

    @Test("XML literals are exclusive canonical XML: used namespaces only, sorted attributes, escaping, no empty tags")
    func canonicalXMLLiteral() throws {
        let result = try Self.triples("""
            <rdf:Description rdf:about="http://example.org/a" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:unused="urn:x">
              <ex:content rdf:parseType="Literal"><h:p z="1" ex:a="2" b="x&quot;&lt;&#10;y"><h:br/>a &amp; b &gt; c<!--note--><?pi data?><q xmlns="urn:default"><r xmlns=""/></q></h:p></ex:content>
            </rdf:Description>
            """)
        let literal = try #require(result.first?.object.literalValue)
        #expect(literal.datatype == Vocabulary.RDF.xmlLiteral)
        #expect(literal.lexicalForm == """
            <h:p xmlns:ex="http://example.org/" xmlns:h="http://www.w3.org/1999/xhtml" b="x&quot;&lt;&#xA;y" z="1" ex:a="2">\
            <h:br></h:br>a &amp; b &gt; c<!--note--><?pi data?><q xmlns="urn:default"><r xmlns=""></r></q></h:p>
            """)
    }

    @Test("rdf:parseType=\"Collection\" builds an rdf:List, and an empty one is rdf:nil")
    func collections() throws {
        let result = try Self.triples("""
            <rdf:Description rdf:about="http://example.org/a">
              <ex:items rdf:parseType="Collection">
                <rdf:Description rdf:about="http://example.org/1"/>
                <rdf:Description rdf:about="http://example.org/2"/>
              </ex:items>
              <ex:none rdf:parseType="Collection"></ex:none>
            </rdf:Description>
            """)
        #expect(result.contains(Triple(.iri("http://example.org/a"), .iri("http://example.org/none"), .iri(Vocabulary.RDF.nil))))
        let firsts = result.filter { $0.predicate == .iri(Vocabulary.RDF.first) }.map(\.object)
        #expect(firsts == [.iri("http://example.org/1"), .iri("http://example.org/2")])
        #expect(result.filter { $0.predicate == .iri(Vocabulary.RDF.rest) }.map(\.object).last == .iri(Vocabulary.RDF.nil))
    }

    @Test("onPrefix reports every namespace declaration")
    func prefixes() throws {
        var declared: [String: String] = [:]
        try RDFXMLParser(baseIRI: "http://example.org/").parse(bytes: Array((Self.open + "<ex:Thing xmlns=\"urn:d\"/></rdf:RDF>").utf8),
                                                               onPrefix: { declared[$0] = $1 }) { _ in }
        #expect(declared == ["rdf": Self.rdf, "ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#", "": "urn:d"])
    }

    @Test("grammar errors name the file, the line of the offending element and what is wrong")
    func grammarErrorPosition() throws {
        let error = try #require(Self.error("""

            <rdf:Description rdf:about="http://example.org/a">
              <ex:p rdf:li="1"/>
            </rdf:Description>
            """))
        #expect(error.file == "test.rdf")
        #expect(error.line == 4)
        #expect(error.column > 0)
        #expect(error.message == "rdf:li is not allowed as an attribute")
    }

    @Test("text beside a node element, two node elements in a property, and unqualified attributes are errors",
          arguments: [
              (#"<rdf:Description rdf:about="http://example.org/a">stray<ex:p>v</ex:p></rdf:Description>"#, "not allowed inside"),
              (#"<rdf:Description rdf:about="http://example.org/a"><ex:p><ex:A/><ex:B/></ex:p></rdf:Description>"#, "only one node element"),
              (#"<rdf:Description rdf:about="http://example.org/a"><ex:p>text<ex:A/></ex:p></rdf:Description>"#, "mixes text"),
              (#"<rdf:Description rdf:about="http://example.org/a" color="red"/>"#, "namespace-qualified"),
              (#"<rdf:Description rdf:about="http://example.org/a"><ex:p rdf:datatype="http://example.org/t" ex:q="v"/></rdf:Description>"#, "rdf:datatype cannot"),
              (#"<rdf:Description rdf:about="http://example.org/a"><ex:p rdf:resource="http://example.org/b">text</ex:p></rdf:Description>"#, "must be empty"),
              (#"<Thing/>"#, "no namespace"),
          ])
    func grammarErrors(body: String, expected: String) throws {
        let error = try #require(Self.error(body))
        #expect(error.message.contains(expected), "\(error)")
        #expect(error.line > 0)
    }

    @Test("XML well-formedness errors from libxml2 carry position and message")
    func wellFormednessError() throws {
        let error = try #require(Self.error("""
            <rdf:Description rdf:about="http://example.org/a">
              <ex:p>unclosed
            </rdf:Description>
            """))
        #expect(error.file == "test.rdf")
        #expect(error.line == 4)
        #expect(error.message.hasPrefix("XML error: "))
        #expect(error.message.contains("mismatch: p line 3 and Description"))
    }

    @Test("documents in ISO-8859-1 and UTF-16 are decoded by their declaration or byte order mark")
    func encodings() throws {
        let body = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
            <rdf:Description rdf:about="http://example.org/caf\u{E9}"><ex:name>Caf\u{E9} cr\u{E8}me</ex:name></rdf:Description>
            </rdf:RDF>
            """
        let expected = [Triple(.iri("http://example.org/caf\u{E9}"), .iri("http://example.org/name"), .literal(Literal("Caf\u{E9} cr\u{E8}me")))]
        let latin1 = Array(("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" + body).unicodeScalars.map { UInt8($0.value) })
        #expect(latin1.contains(0xE9))
        #expect(try RDFXMLTestSupport.triples(latin1) == expected)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + body).utf16 {
            utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        #expect(try RDFXMLTestSupport.triples(utf16) == expected)
    }

    @Test("a handler error stops the parse and comes out unchanged")
    func handlerErrorPropagates() {
        struct Stop: Error, Equatable {}
        var seen = 0
        #expect(throws: Stop()) {
            try RDFXMLParser(baseIRI: "http://example.org/").parse(bytes: Array((Self.open + """
                <rdf:Description rdf:about="http://example.org/a"><ex:p>1</ex:p><ex:p>2</ex:p><ex:p>3</ex:p></rdf:Description>
                </rdf:RDF>
                """).utf8)) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}
