/// A parser for RDF 1.1 N-Triples (<https://www.w3.org/TR/n-triples/>), grammar §7.
///
/// It works on UTF-8 bytes and hands each triple to a handler as soon as it is read.
/// Relative IRIs are rejected, as the grammar requires absolute IRIs.
public struct NTriplesParser: Sendable {
    /// The name used in error messages (usually the file path).
    public var documentName: String?

    /// Creates a parser; `documentName` appears in error messages.
    public init(documentName: String? = nil) { self.documentName = documentName }

    /// Parses a whole document given as text.
    public func parse(_ text: String, onTriple: TripleHandler) throws {
        try parse(bytes: Array(text.utf8), onTriple: onTriple)
    }

    /// Parses a whole document given as UTF-8 bytes.
    public func parse(bytes: [UInt8], onTriple: TripleHandler) throws {
        try bytes.withUnsafeBufferPointer { buffer in
            var cursor = NTriplesCursor(bytes: buffer, documentName: documentName)
            try cursor.parseDocument(onTriple: onTriple)
        }
    }

    /// Parses a document and returns all its triples.
    public func triples(in text: String) throws -> [Triple] {
        var result: [Triple] = []
        try parse(text) { result.append($0) }
        return result
    }
}

/// The byte-level state of one N-Triples parse; shared by the N-Triples grammar productions.
struct NTriplesCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let documentName: String?
    var position = 0
    var line = 1
    var lineStart = 0

    init(bytes: UnsafeBufferPointer<UInt8>, documentName: String?) {
        self.bytes = bytes
        self.documentName = documentName
    }

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8 { bytes[position] }

    func error(_ message: String, at offset: Int? = nil) -> RDFSyntaxError {
        let at = offset ?? position
        // Column counts characters (not bytes) from the line start, 1-based.
        var column = 1
        var i = lineStart
        while i < at && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return RDFSyntaxError(file: documentName, line: line, column: column, message: message)
    }

    mutating func skipSpacesAndTabs() {
        while !atEnd, current == 0x20 || current == 0x09 { position += 1 }
    }

    /// Skips spaces, tabs and a comment up to (not including) the end of line.
    mutating func skipSpaceAndComment() {
        skipSpacesAndTabs()
        if !atEnd, current == UInt8(ascii: "#") {
            while !atEnd, current != 0x0A, current != 0x0D { position += 1 }
        }
    }

    mutating func parseDocument(onTriple: TripleHandler) throws {
        while true {
            skipSpaceAndComment()
            if atEnd { return }
            if current == 0x0A || current == 0x0D {
                if current == 0x0A { line += 1; lineStart = position + 1 }
                else if position + 1 < bytes.count, bytes[position + 1] != 0x0A { line += 1; lineStart = position + 1 }
                position += 1
                continue
            }
            let triple = try parseTriple()
            try onTriple(triple)
            skipSpaceAndComment()
            if !atEnd, current != 0x0A, current != 0x0D {
                throw error("expected end of line after triple")
            }
        }
    }

    mutating func parseTriple() throws -> Triple {
        let subject: Term
        switch current {
        case UInt8(ascii: "<"): subject = .iri(IRI(try parseIRIRef()))
        case UInt8(ascii: "_"): subject = .blank(try parseBlankNode())
        default: throw error("expected subject: an IRI <...> or a blank node _:label")
        }
        skipSpacesAndTabs()
        guard !atEnd, current == UInt8(ascii: "<") else { throw error("expected predicate: an IRI <...>") }
        let predicate = Term.iri(IRI(try parseIRIRef()))
        skipSpacesAndTabs()
        guard !atEnd else { throw error("expected object, found end of input") }
        let object: Term
        switch current {
        case UInt8(ascii: "<"): object = .iri(IRI(try parseIRIRef()))
        case UInt8(ascii: "_"): object = .blank(try parseBlankNode())
        case UInt8(ascii: "\""): object = .literal(try parseLiteral())
        default: throw error("expected object: an IRI, a blank node or a \"literal\"")
        }
        skipSpacesAndTabs()
        guard !atEnd, current == UInt8(ascii: ".") else { throw error("expected '.' at the end of the triple") }
        position += 1
        return Triple(subject, predicate, object)
    }

    /// IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'; the result must be absolute.
    mutating func parseIRIRef() throws -> String {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        var hasEscape = false
        while true {
            guard !atEnd else { throw error("unterminated IRI", at: start) }
            let c = current
            if c == UInt8(ascii: ">") { break }
            if c <= 0x20 || c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "{")
                || c == UInt8(ascii: "}") || c == UInt8(ascii: "|") || c == UInt8(ascii: "^") || c == UInt8(ascii: "`") {
                throw error("character not allowed in an IRI")
            }
            if c == UInt8(ascii: "\\") {
                if !hasEscape { scalars = String.UnicodeScalarView(); hasEscape = true }
                appendRun(from: runStart, to: position, into: &scalars)
                let scalar = try parseUCHAR()
                if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                    throw error("escaped character U+\(String(scalar.value, radix: 16, uppercase: true)) not allowed in an IRI")
                }
                scalars.append(scalar)
                runStart = position
                continue
            }
            position += 1
        }
        let value: String
        if hasEscape {
            appendRun(from: runStart, to: position, into: &scalars)
            value = String(scalars)
        } else {
            value = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
        }
        position += 1
        if !NTriplesCursor.isAbsoluteIRI(value) { throw error("relative IRI <\(value)> is not allowed here; N-Triples needs absolute IRIs", at: start) }
        return value
    }

    /// True when `value` starts with a scheme (RFC 3986 §3.1) followed by ':'.
    static func isAbsoluteIRI(_ value: String) -> Bool {
        var sawLetter = false
        for c in value.utf8 {
            if c == UInt8(ascii: ":") { return sawLetter }
            let isAlpha = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if !sawLetter {
                if !isAlpha { return false }
                sawLetter = true
            } else if !(isAlpha || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")) {
                return false
            }
        }
        return false
    }

    func appendRun(from: Int, to: Int, into scalars: inout String.UnicodeScalarView) {
        if to > from {
            scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self).unicodeScalars)
        }
    }

    /// UCHAR ::= '\u' HEX HEX HEX HEX | '\U' HEX{8}; the cursor is on the backslash.
    mutating func parseUCHAR() throws -> Unicode.Scalar {
        let start = position
        guard position + 1 < bytes.count else { throw error("incomplete escape") }
        let kind = bytes[position + 1]
        let digits: Int
        if kind == UInt8(ascii: "u") { digits = 4 } else if kind == UInt8(ascii: "U") { digits = 8 } else {
            throw error("invalid escape: only \\uXXXX and \\UXXXXXXXX are allowed here")
        }
        guard position + 2 + digits <= bytes.count else { throw error("incomplete \\\(Character(Unicode.Scalar(kind))) escape") }
        var value: UInt32 = 0
        for i in 0..<digits {
            guard let d = NTriplesCursor.hexValue(bytes[position + 2 + i]) else {
                throw error("invalid hexadecimal digit in escape", at: position + 2 + i)
            }
            value = value << 4 | UInt32(d)
        }
        guard let scalar = Unicode.Scalar(value) else { throw error("escape is not a Unicode scalar value", at: start) }
        position += 2 + digits
        return scalar
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
    mutating func parseBlankNode() throws -> BlankNode {
        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ":") else {
            throw error("expected '_:' to start a blank node label")
        }
        position += 2
        let start = position
        var scalars = String.UnicodeScalarView()
        var first = true
        while !atEnd {
            let (scalar, length) = decodeScalar(at: position)
            let ok = first ? (BlankNodeLabel.isPNCharsU(scalar) || (scalar.value >= 0x30 && scalar.value <= 0x39))
                           : (BlankNodeLabel.isPNChars(scalar) || scalar == ".")
            if !ok { break }
            scalars.append(scalar)
            position += length
            first = false
        }
        // A label may not end with '.', which then belongs to the triple.
        while let last = scalars.last, last == "." {
            scalars.removeLast()
            position -= 1
        }
        if scalars.isEmpty { throw error("empty or invalid blank node label", at: start) }
        if !atEnd {
            let (next, _) = decodeScalar(at: position)
            if next == ":" { throw error("':' is not allowed in a blank node label") }
        }
        return BlankNode(String(scalars))
    }

    /// Decodes one UTF-8 scalar at `offset`; invalid bytes decode as U+FFFD with length 1.
    func decodeScalar(at offset: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[offset]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1
        guard length > 1, offset + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for i in 1..<length { value = value << 6 | UInt32(bytes[offset + i] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?
    mutating func parseLiteral() throws -> Literal {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        var hasEscape = false
        while true {
            guard !atEnd else { throw error("unterminated string literal", at: start) }
            let c = current
            if c == UInt8(ascii: "\"") { break }
            if c == 0x0A || c == 0x0D { throw error("unterminated string literal: line break inside quotes", at: start) }
            if c == UInt8(ascii: "\\") {
                if !hasEscape { hasEscape = true }
                appendRun(from: runStart, to: position, into: &scalars)
                guard position + 1 < bytes.count else { throw error("incomplete escape") }
                let e = bytes[position + 1]
                switch e {
                case UInt8(ascii: "t"): scalars.append("\t"); position += 2
                case UInt8(ascii: "b"): scalars.append("\u{08}"); position += 2
                case UInt8(ascii: "n"): scalars.append("\n"); position += 2
                case UInt8(ascii: "r"): scalars.append("\r"); position += 2
                case UInt8(ascii: "f"): scalars.append("\u{0C}"); position += 2
                case UInt8(ascii: "\""): scalars.append("\""); position += 2
                case UInt8(ascii: "'"): scalars.append("'"); position += 2
                case UInt8(ascii: "\\"): scalars.append("\\"); position += 2
                case UInt8(ascii: "u"), UInt8(ascii: "U"): scalars.append(try parseUCHAR())
                default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string literal")
                }
                runStart = position
                continue
            }
            position += 1
        }
        let lexical: String
        if hasEscape {
            appendRun(from: runStart, to: position, into: &scalars)
            lexical = String(scalars)
        } else {
            lexical = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
        }
        position += 1
        if !atEnd, current == UInt8(ascii: "@") {
            position += 1
            let tagStart = position
            // LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
            var segmentLength = 0
            var firstSegment = true
            while !atEnd {
                let c = current
                let isAlpha = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                let isDigit = c >= 0x30 && c <= 0x39
                if isAlpha || (isDigit && !firstSegment) { segmentLength += 1; position += 1 }
                else if c == UInt8(ascii: "-") && segmentLength > 0 { firstSegment = false; segmentLength = 0; position += 1 }
                else { break }
            }
            if segmentLength == 0 { throw error("invalid language tag", at: tagStart) }
            let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[tagStart..<position]), as: UTF8.self)
            return Literal(lexical, language: tag)
        }
        if position + 1 < bytes.count, current == UInt8(ascii: "^"), bytes[position + 1] == UInt8(ascii: "^") {
            position += 2
            guard !atEnd, current == UInt8(ascii: "<") else { throw error("expected datatype IRI after '^^'") }
            return Literal(lexical, datatype: IRI(try parseIRIRef()))
        }
        return Literal(lexical)
    }
}

/// Character classes of blank node labels and prefixed names, shared by N-Triples and Turtle (Turtle §6.5).
public enum BlankNodeLabel {
    /// PN_CHARS_BASE: letters and the Unicode ranges the grammar lists.
    public static func isPNCharsBase(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default: return false
        }
    }
    /// PN_CHARS_U ::= PN_CHARS_BASE | '_'
    public static func isPNCharsU(_ s: Unicode.Scalar) -> Bool { s == "_" || isPNCharsBase(s) }
    /// PN_CHARS ::= PN_CHARS_U | '-' | [0-9] | #xB7 | [#x0300-#x036F] | [#x203F-#x2040]
    public static func isPNChars(_ s: Unicode.Scalar) -> Bool {
        if isPNCharsU(s) { return true }
        switch s.value {
        case 0x2D, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }
}
