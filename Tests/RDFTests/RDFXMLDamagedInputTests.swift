import Foundation
import RDF
import Testing

/// Damaged copies of a real ontology fail with the file name and a line near the damage.
@Suite("RDF/XML on truncated and corrupted files")
struct RDFXMLDamagedInputTests {
    static let patoPath = RDFXMLTestSupport.sharedRoot + "/ontologies/pato/pato-base.owl"

    /// The 1-based line of byte `offset`.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// The offset of the first `needle` at or after `start`.
    static func offset(of needle: String, in bytes: [UInt8], from start: Int) throws -> Int {
        let pattern = Array(needle.utf8)
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && Array(bytes[index..<index + pattern.count]) == pattern { return index }
            index += 1
        }
        throw RDFSyntaxError(line: 0, column: 0, message: "\(needle) not found")
    }

    /// Writes `bytes` to a fresh temporary file named `name` and parses it.
    static func parseDamaged(_ bytes: [UInt8], name: String) throws -> (path: String, error: RDFSyntaxError?) {
        let path = try RDFXMLTestSupport.temporaryDirectory().appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            try RDFXMLParser().parse(fileAt: path) { _ in }
            return (path, nil)
        } catch let error as RDFSyntaxError {
            return (path, error)
        }
    }

    @Test("a copy cut in the middle of an element fails at the cut")
    func truncated() throws {
        let original = try RDFXMLTestSupport.bytes(of: Self.patoPath)
        // Cut inside the start tag of the first owl:Class after the middle of the file.
        let classStart = try Self.offset(of: "<owl:Class rdf:about=", in: original, from: original.count / 2)
        let cut = classStart + 15
        let damaged = Array(original[..<cut])
        let (path, error) = try Self.parseDamaged(damaged, name: "pato-truncated.owl")
        let failure = try #require(error)
        #expect(failure.file == path)
        let cutLine = Self.line(of: cut, in: original)
        #expect(failure.line > 0)
        #expect(abs(failure.line - cutLine) <= 2, "error at line \(failure.line), cut at line \(cutLine): \(failure)")
    }

    @Test("a copy with garbage bytes injected into a label fails at the garbage")
    func garbageInjected() throws {
        let original = try RDFXMLTestSupport.bytes(of: Self.patoPath)
        let labelStart = try Self.offset(of: "<rdfs:label", in: original, from: original.count / 3)
        let textStart = try Self.offset(of: ">", in: original, from: labelStart) + 1
        // Invalid UTF-8 and control characters XML forbids.
        let damaged = Array(original[..<textStart]) + [0xFF, 0xFE, 0x01, 0x02, 0xC3] + Array(original[textStart...])
        let (path, error) = try Self.parseDamaged(damaged, name: "pato-garbage.owl")
        let failure = try #require(error)
        #expect(failure.file == path)
        let damageLine = Self.line(of: textStart, in: original)
        #expect(abs(failure.line - damageLine) <= 2, "error at line \(failure.line), garbage at line \(damageLine): \(failure)")
    }

    @Test("a copy with a broken end tag fails at that tag")
    func mismatchedTag() throws {
        let original = try RDFXMLTestSupport.bytes(of: Self.patoPath)
        let endTag = try Self.offset(of: "</owl:Class>", in: original, from: original.count * 2 / 3)
        var damaged = original
        damaged.replaceSubrange(endTag..<endTag + 12, with: Array("</owl:Clas>".utf8))
        let (path, error) = try Self.parseDamaged(damaged, name: "pato-mismatch.owl")
        let failure = try #require(error)
        #expect(failure.file == path)
        #expect(failure.message.contains("mismatch: Class line"))
        let damageLine = Self.line(of: endTag, in: original)
        #expect(abs(failure.line - damageLine) <= 2, "error at line \(failure.line), damage at line \(damageLine): \(failure)")
    }

    @Test("a missing file is reported with its name")
    func missingFile() throws {
        let path = try RDFXMLTestSupport.temporaryDirectory().appendingPathComponent("absent.owl").path
        let error = #expect(throws: RDFSyntaxError.self) { try RDFXMLParser().parse(fileAt: path) { _ in } }
        #expect(error?.file == path)
        #expect(error?.message.contains("cannot open") == true)
    }
}
