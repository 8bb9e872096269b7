import RDF
import Testing

@Suite("Turtle parser")
struct TurtleParserTests {
    @Test("errors carry the document name, line and column of the offending character")
    func errorPosition() throws {
        let text = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated .\n"
        let parser = TurtleParser(baseIRI: nil, documentName: "bad.ttl")
        let error = try #require(throws: RDFSyntaxError.self) { _ = try parser.triples(in: text) }
        #expect(error.file == "bad.ttl")
        #expect(error.line == 3)
        #expect(error.column == 26)  // the line break after `"unterminated .`
        #expect(error.message.contains("line break"))
    }

    @Test("an undefined prefix is reported where the name starts")
    func undefinedPrefix() throws {
        let parser = TurtleParser(baseIRI: "http://example.org/", documentName: "x.ttl")
        let error = try #require(throws: RDFSyntaxError.self) { _ = try parser.triples(in: "<a> <b>\n  foo:c .") }
        #expect(error.line == 2)
        #expect(error.column == 3)
        #expect(error.message == "undefined prefix 'foo:'")
    }

    @Test("a relative IRI without a base is an error, not a silent relative term")
    func relativeWithoutBase() throws {
        #expect(throws: RDFSyntaxError.self) { _ = try TurtleParser(baseIRI: nil, documentName: nil).triples(in: "<a> <b> <c> .") }
    }

    @Test("prefix declarations are reported in order, with resolved namespace IRIs")
    func prefixCallback() throws {
        var seen: [String] = []
        let parser = TurtleParser(baseIRI: "http://example.org/dir/doc", documentName: nil)
        try parser.parse("@prefix a: <ns#> .\nPREFIX b: <http://other/>\n@base <../x/> .\n@prefix c: <y#> .\n",
                         onPrefix: { seen.append("\($0)=\($1)") }, onTriple: { _ in })
        #expect(seen == ["a=http://example.org/dir/ns#", "b=http://other/", "c=http://example.org/x/y#"])
    }

    @Test("document blank node labels never collide with the labels of [] and collections")
    func blankNodeLabels() throws {
        let parser = TurtleParser(baseIRI: "http://example.org/", documentName: nil)
        let triples = try parser.triples(in: "_:anon1 <p> [] . _:u <p> _:x .")
        let subjects = Set(triples.map(\.subject))
        let objects = Set(triples.map(\.object))
        #expect(subjects.count == 2)
        #expect(objects.count == 2)
        #expect(subjects.isDisjoint(with: objects))
        #expect(objects.contains(.blank(BlankNode("x"))))
    }

    @Test("absurdly deep nesting is a syntax error, not a stack overflow")
    func deepNesting() throws {
        let text = "<s> <p> " + String(repeating: "( ", count: 5_000) + String(repeating: ") ", count: 5_000) + "."
        let error = try #require(throws: RDFSyntaxError.self) {
            _ = try TurtleParser(baseIRI: "http://example.org/", documentName: nil).triples(in: text)
        }
        #expect(error.message.contains("nested"))
        #expect(error.line == 1)
        #expect(error.column == 9 + 2 * 128)
        let deepest = "<s> <p> " + String(repeating: "[ <q> ", count: 128) + "<o> " + String(repeating: "] ", count: 128) + "."
        #expect(try TurtleParser(baseIRI: "http://example.org/", documentName: nil).triples(in: deepest).count == 129)
    }

    @Test("numbers, booleans and collections produce the typed literals and list triples of Turtle §7")
    func literalsAndLists() throws {
        let parser = TurtleParser(baseIRI: "http://example.org/", documentName: nil)
        let triples = try parser.triples(in: "<s> <p> -5, 1.5, 1e3, true ; <q> (1 2) .")
        let objects = triples.filter { $0.subject == .iri("http://example.org/s") }.map(\.object)
        #expect(objects.count == 5)
        #expect(objects[0] == .literal(Literal("-5", datatype: Vocabulary.XSD.integer)))
        #expect(objects[1] == .literal(Literal("1.5", datatype: Vocabulary.XSD.decimal)))
        #expect(objects[2] == .literal(Literal("1e3", datatype: Vocabulary.XSD.double)))
        #expect(objects[3] == .literal(Literal("true", datatype: Vocabulary.XSD.boolean)))
        #expect(triples.filter { $0.predicate == .iri(Vocabulary.RDF.first) }.count == 2)
        #expect(triples.contains { $0.predicate == .iri(Vocabulary.RDF.rest) && $0.object == .iri(Vocabulary.RDF.nil) })
    }
}
