/// The terminals of the Turtle grammar (Turtle §6.5): IRIREF, prefixed names, blank node labels,
/// strings, language tags and numbers.
extension TurtleReader {
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

    func text(from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }

    /// UCHAR ::= '\u' HEX{4} | '\U' HEX{8}; the cursor is on the backslash.
    mutating func parseUCHAR() throws -> Unicode.Scalar {
        let start = position
        let kind = peek(1)
        let digits: Int
        if kind == UInt8(ascii: "u") { digits = 4 } else if kind == UInt8(ascii: "U") { digits = 8 } else {
            throw error("invalid escape: only \\uXXXX and \\UXXXXXXXX are allowed here")
        }
        var value: UInt32 = 0
        for i in 0..<digits {
            guard let digit = NTriplesCursor.hexValue(peek(2 + i)) else {
                throw error("invalid hexadecimal digit in \\\(Character(Unicode.Scalar(kind))) escape", at: position + 2 + i)
            }
            value = value << 4 | UInt32(digit)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("escape U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value", at: start)
        }
        position += 2 + digits
        return scalar
    }

    /// IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>', resolved against the base (RFC 3986 §5.2).
    mutating func parseIRIRef() throws -> String {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        while true {
            guard !atEnd else { throw error("unterminated IRI: expected '>'", at: start) }
            let byte = current
            if byte == UInt8(ascii: ">") { break }
            if byte <= 0x20 || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "^") || byte == UInt8(ascii: "`") {
                throw error("character \(found) is not allowed in an IRI")
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: text(from: runStart, to: position).unicodeScalars)
                let scalar = try parseUCHAR()
                if scalar.value <= 0x20 || "<>\"{}|^`\\".unicodeScalars.contains(scalar) {
                    throw error("escaped character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed in an IRI")
                }
                scalars.append(scalar)
                runStart = position
                continue
            }
            position += 1
        }
        scalars.append(contentsOf: text(from: runStart, to: position).unicodeScalars)
        position += 1
        let reference = String(scalars)
        guard let resolved = resolver.resolve(reference) else {
            throw error("relative IRI <\(reference)> cannot be resolved: no base IRI is set", at: start)
        }
        return resolved
    }

    /// BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
    mutating func parseBlankNodeLabel() throws -> BlankNode {
        guard peek(1) == UInt8(ascii: ":") else { throw error("expected '_:' to start a blank node label") }
        position += 2
        let start = position
        var end = position
        var first = true
        while !atEnd {
            let (scalar, length) = decodeScalar(at: position)
            let allowed = first ? (BlankNodeLabel.isPNCharsU(scalar) || (scalar.value >= 0x30 && scalar.value <= 0x39))
                                : (BlankNodeLabel.isPNChars(scalar) || scalar == ".")
            if !allowed { break }
            position += length
            if scalar != "." { end = position }
            first = false
        }
        position = end  // a label may not end with '.', which then ends the statement
        if end == start { throw error("empty or invalid blank node label", at: start) }
        return BlankNode(TurtleReader.documentLabel(text(from: start, to: end)))
    }

    /// PN_PREFIX ::= PN_CHARS_BASE ((PN_CHARS | '.')* PN_CHARS)?, possibly empty; the cursor stops before ':'.
    mutating func parsePrefixLabel() throws -> String {
        let start = position
        guard !atEnd else { return "" }
        let (first, firstLength) = decodeScalar(at: position)
        guard BlankNodeLabel.isPNCharsBase(first) else { return "" }
        position += firstLength
        var lastWasDot = false
        while !atEnd {
            let (scalar, length) = decodeScalar(at: position)
            guard BlankNodeLabel.isPNChars(scalar) || scalar == "." else { break }
            lastWasDot = scalar == "."
            position += length
        }
        if lastWasDot {
            if current == UInt8(ascii: ":") { throw error("a prefix name may not end with '.'", at: position - 1) }
            // The dot (and any run of dots) ends the statement instead; step back before them.
            while position > start, bytes[position - 1] == UInt8(ascii: ".") { position -= 1 }
        }
        return text(from: start, to: position)
    }

    /// True when the cursor is at the start of PNAME_NS / PNAME_LN (a PN_CHARS_BASE letter or ':').
    var startsPrefixedName: Bool {
        if atEnd { return false }
        if current == UInt8(ascii: ":") { return true }
        return BlankNodeLabel.isPNCharsBase(decodeScalar(at: position).0)
    }

    /// PrefixedName ::= PNAME_LN | PNAME_NS, expanded with the declared namespace.
    mutating func parsePrefixedName() throws -> String {
        let start = position
        let prefix = try parsePrefixLabel()
        guard current == UInt8(ascii: ":") else {
            throw error("expected a prefixed name 'prefix:local', found '\(text(from: start, to: position))' without ':'", at: start)
        }
        position += 1
        guard let namespace = prefixes[prefix] else { throw error("undefined prefix '\(prefix):'", at: start) }
        return namespace + (try parseLocalName())
    }

    /// PN_LOCAL ::= (PN_CHARS_U | ':' | [0-9] | PLX) ((PN_CHARS | '.' | ':' | PLX)* (PN_CHARS | ':' | PLX))?
    /// PLX ::= '%' HEX HEX (kept as written) | '\' one of `_~.-!$&'()*+,;=/?#@%` (unescaped).
    mutating func parseLocalName() throws -> String {
        var scalars = String.UnicodeScalarView()
        var lastGoodPosition = position
        var lastGoodCount = 0
        var first = true
        while !atEnd {
            let byte = current
            if byte == UInt8(ascii: "%") {
                guard NTriplesCursor.hexValue(peek(1)) != nil, NTriplesCursor.hexValue(peek(2)) != nil else {
                    throw error("'%' in a local name must be followed by two hexadecimal digits")
                }
                scalars.append(contentsOf: text(from: position, to: position + 3).unicodeScalars)
                position += 3
            } else if byte == UInt8(ascii: "\\") {
                let escaped = peek(1)
                guard "_~.-!$&'()*+,;=/?#@%".utf8.contains(escaped) else {
                    throw error("invalid escape in a local name: only \\ followed by one of _~.-!$&'()*+,;=/?#@% is allowed")
                }
                scalars.append(Unicode.Scalar(escaped))
                position += 2
            } else {
                let (scalar, length) = decodeScalar(at: position)
                let allowed: Bool
                if first {
                    allowed = BlankNodeLabel.isPNCharsU(scalar) || scalar == ":" || (scalar.value >= 0x30 && scalar.value <= 0x39)
                } else {
                    allowed = BlankNodeLabel.isPNChars(scalar) || scalar == ":" || scalar == "."
                }
                guard allowed else { break }
                scalars.append(scalar)
                position += length
                if scalar == "." {
                    first = false
                    continue
                }
            }
            first = false
            lastGoodPosition = position
            lastGoodCount = scalars.count
        }
        // A local name may not end with an unescaped '.', which then ends the statement.
        position = lastGoodPosition
        return String(String.UnicodeScalarView(scalars.prefix(lastGoodCount)))
    }

    /// True at the start of INTEGER, DECIMAL or DOUBLE: a digit, a sign, or '.' followed by a digit.
    var isNumberStart: Bool {
        let byte = current
        if TurtleReader.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { return true }
        return byte == UInt8(ascii: ".") && TurtleReader.isDigit(peek(1))
    }

    /// NumericLiteral ::= INTEGER | DECIMAL | DOUBLE, typed xsd:integer, xsd:decimal or xsd:double; the lexical form is kept as written.
    mutating func parseNumericLiteral() throws -> Literal {
        let start = position
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
        var integerDigits = 0
        while TurtleReader.isDigit(current) { position += 1; integerDigits += 1 }
        var datatype = Vocabulary.XSD.integer
        if current == UInt8(ascii: "."), TurtleReader.isDigit(peek(1)) {
            position += 1
            while TurtleReader.isDigit(current) { position += 1 }
            datatype = Vocabulary.XSD.decimal
        } else if current == UInt8(ascii: "."), integerDigits > 0, peek(1) == UInt8(ascii: "e") || peek(1) == UInt8(ascii: "E") {
            position += 1  // "1.e5": DOUBLE ::= [0-9]+ '.' [0-9]* EXPONENT
        } else if integerDigits == 0 {
            throw error("a number needs at least one digit", at: start)
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard TurtleReader.isDigit(current) else { throw error("the exponent of a double needs digits") }
            while TurtleReader.isDigit(current) { position += 1 }
            datatype = Vocabulary.XSD.double
        }
        return Literal(text(from: start, to: position), datatype: datatype)
    }

    /// RDFLiteral ::= String (LANGTAG | '^^' iri)?
    mutating func parseRDFLiteral() throws -> Literal {
        let lexical = try parseString()
        if current == UInt8(ascii: "@") {
            position += 1
            let tagStart = position
            // LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
            var segmentLength = 0
            var firstSegment = true
            while !atEnd {
                let byte = current
                if TurtleReader.isASCIILetter(byte) || (TurtleReader.isDigit(byte) && !firstSegment) {
                    segmentLength += 1; position += 1
                } else if byte == UInt8(ascii: "-"), segmentLength > 0 {
                    firstSegment = false; segmentLength = 0; position += 1
                } else {
                    break
                }
            }
            if segmentLength == 0 { throw error("invalid language tag", at: tagStart) }
            return Literal(lexical, language: text(from: tagStart, to: position))
        }
        if current == UInt8(ascii: "^"), peek(1) == UInt8(ascii: "^") {
            position += 2
            if current == UInt8(ascii: "<") { return Literal(lexical, datatype: IRI(try parseIRIRef())) }
            guard startsPrefixedName else { throw error("expected a datatype IRI after '^^', found \(found)") }
            return Literal(lexical, datatype: IRI(try parsePrefixedName()))
        }
        return Literal(lexical)
    }

    /// STRING_LITERAL_QUOTE | STRING_LITERAL_SINGLE_QUOTE | STRING_LITERAL_LONG_QUOTE | STRING_LITERAL_LONG_SINGLE_QUOTE,
    /// with ECHAR ::= '\' [tbnrf"'\] and UCHAR unescaped.
    mutating func parseString() throws -> String {
        let start = position
        let quote = current
        let isLong = peek(1) == quote && peek(2) == quote
        position += isLong ? 3 : 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        while true {
            guard !atEnd else { throw error("unterminated string literal", at: start) }
            let byte = current
            if byte == quote {
                if !isLong { break }
                // The first run of three quotes closes the string (content quotes come in runs of at most two).
                if peek(1) == quote && peek(2) == quote { break }
                position += 1
                continue
            }
            if !isLong, byte == 0x0A || byte == 0x0D {
                throw error("line break inside a short string literal (use \"\"\"...\"\"\" or \\n)", at: position)
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: text(from: runStart, to: position).unicodeScalars)
                let escaped = peek(1)
                switch escaped {
                case UInt8(ascii: "t"): scalars.append("\t"); position += 2
                case UInt8(ascii: "b"): scalars.append("\u{08}"); position += 2
                case UInt8(ascii: "n"): scalars.append("\n"); position += 2
                case UInt8(ascii: "r"): scalars.append("\r"); position += 2
                case UInt8(ascii: "f"): scalars.append("\u{0C}"); position += 2
                case UInt8(ascii: "\""): scalars.append("\""); position += 2
                case UInt8(ascii: "'"): scalars.append("'"); position += 2
                case UInt8(ascii: "\\"): scalars.append("\\"); position += 2
                case UInt8(ascii: "u"), UInt8(ascii: "U"): scalars.append(try parseUCHAR())
                default:
                    throw error("invalid escape in a string literal: only \\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX are allowed")
                }
                runStart = position
                continue
            }
            position += 1
        }
        scalars.append(contentsOf: text(from: runStart, to: position).unicodeScalars)
        position += isLong ? 3 : 1
        return String(scalars)
    }
}
