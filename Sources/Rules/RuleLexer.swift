import RDF

/// One token of the rule language, with its position.
struct RuleToken {
    enum Kind: Equatable {
        /// `?name`
        case variable(String)
        /// `<iri>`
        case iri(String)
        /// `prefix:local` (prefix "" for `:local`), or a bare name (prefix nil).
        case name(prefix: String?, local: String)
        /// `"text"` or `'text'`, unescaped.
        case string(String)
        /// A number as written, with its XSD datatype.
        case number(String, IRI)
        /// `@word` (a language tag after a string, or `@prefix`).
        case at(String)
        /// `(`, `)`, `,`, `^`, `^^`, `->`, `[`, `]`, `.`, `:`
        case symbol(String)
        case end
    }

    var kind: Kind
    var line: Int
    var column: Int
}

/// Splits rule text into tokens; `#` starts a comment that runs to the end of the line.
struct RuleLexer {
    let scalars: [Unicode.Scalar]
    let documentName: String?
    var index = 0
    var line = 1
    var lineStart = 0

    init(text: String, documentName: String?) {
        self.scalars = Array(text.unicodeScalars)
        self.documentName = documentName
    }

    func error(_ message: String, line: Int? = nil, column: Int? = nil) -> RuleSyntaxError {
        RuleSyntaxError(file: documentName, line: line ?? self.line, column: column ?? (index - lineStart + 1), message: message)
    }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    func peek(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

    mutating func advance() {
        if scalars[index] == "\n" { line += 1; lineStart = index + 1 }
        index += 1
    }

    mutating func skipSpaceAndComments() {
        while let c = current {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{FEFF}" {
                advance()
            } else if c == "#" {
                while let d = current, d != "\n" { advance() }
            } else {
                return
            }
        }
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool { BlankNodeLabel.isPNCharsU(c) }
    static func isNameChar(_ c: Unicode.Scalar) -> Bool { BlankNodeLabel.isPNChars(c) || c == "." }
    static func isDigit(_ c: Unicode.Scalar?) -> Bool { guard let c else { return false }; return c >= "0" && c <= "9" }

    /// Reads all tokens; the last is `.end`.
    mutating func tokenize() throws -> [RuleToken] {
        var tokens: [RuleToken] = []
        while true {
            skipSpaceAndComments()
            let tokenLine = line, tokenColumn = index - lineStart + 1
            guard let c = current else {
                tokens.append(RuleToken(kind: .end, line: tokenLine, column: tokenColumn))
                return tokens
            }
            let kind: RuleToken.Kind
            switch c {
            case "?":
                advance()
                let name = readName()
                if name.isEmpty { throw error("expected a variable name after '?'", line: tokenLine, column: tokenColumn) }
                kind = .variable(name)
            case "<":
                advance()
                var value = ""
                while let d = current, d != ">" {
                    if d == " " || d == "\n" || d == "\t" { throw error("white space is not allowed in an IRI <...>") }
                    value.unicodeScalars.append(d)
                    advance()
                }
                guard current == ">" else { throw error("unterminated IRI: expected '>'", line: tokenLine, column: tokenColumn) }
                advance()
                kind = .iri(value)
            case "\"", "'":
                kind = .string(try readString(quote: c, line: tokenLine, column: tokenColumn))
            case "@":
                advance()
                var word = ""
                while let d = current, d.properties.isAlphabetic || d == "-" || RuleLexer.isDigit(d) {
                    word.unicodeScalars.append(d)
                    advance()
                }
                if word.isEmpty { throw error("expected a word after '@'", line: tokenLine, column: tokenColumn) }
                kind = .at(word)
            case "(", ")", ",", "[", "]", ".":
                advance()
                kind = .symbol(String(c))
            case "∧":
                advance()
                kind = .symbol("^")
            case "→":
                advance()
                kind = .symbol("->")
            case "^":
                advance()
                if current == "^" { advance(); kind = .symbol("^^") } else { kind = .symbol("^") }
            case "-" where peek(1) == ">":
                advance(); advance()
                kind = .symbol("->")
            case "+", "-", "0"..."9":
                kind = try readNumber(line: tokenLine, column: tokenColumn)
            case ":":
                advance()
                kind = .name(prefix: "", local: readName())
            default:
                guard RuleLexer.isNameStart(c) else {
                    throw error("unexpected character '\(Character(c))'", line: tokenLine, column: tokenColumn)
                }
                let first = readName()
                if current == ":" {
                    advance()
                    kind = .name(prefix: first, local: readName())
                } else {
                    kind = .name(prefix: nil, local: first)
                }
            }
            tokens.append(RuleToken(kind: kind, line: tokenLine, column: tokenColumn))
        }
    }

    /// Name characters (PN_CHARS and inner dots); a trailing '.' is left for the rule terminator.
    mutating func readName() -> String {
        var name = String.UnicodeScalarView()
        while let c = current, RuleLexer.isNameChar(c) {
            if c == ".", !(peek(1).map(BlankNodeLabel.isPNChars) ?? false) { break }
            name.append(c)
            advance()
        }
        return String(name)
    }

    mutating func readString(quote: Unicode.Scalar, line tokenLine: Int, column tokenColumn: Int) throws -> String {
        advance()
        var value = String.UnicodeScalarView()
        while true {
            guard let c = current else { throw error("unterminated string literal", line: tokenLine, column: tokenColumn) }
            if c == quote { advance(); break }
            if c == "\n" { throw error("line break inside a string literal", line: tokenLine, column: tokenColumn) }
            if c == "\\" {
                advance()
                guard let e = current else { throw error("unterminated string literal", line: tokenLine, column: tokenColumn) }
                switch e {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "\"", "'", "\\": value.append(e)
                default: throw error("invalid escape '\\\(Character(e))' in a string literal")
                }
                advance()
                continue
            }
            value.append(c)
            advance()
        }
        return String(value)
    }

    /// [+-]? digits ('.' digits)? ([eE] [+-]? digits)?, typed xsd:integer, xsd:decimal or xsd:double.
    mutating func readNumber(line tokenLine: Int, column tokenColumn: Int) throws -> RuleToken.Kind {
        var text = ""
        if current == "+" || current == "-" { text.unicodeScalars.append(current!); advance() }
        guard RuleLexer.isDigit(current) else { throw error("expected a digit", line: tokenLine, column: tokenColumn) }
        while RuleLexer.isDigit(current) { text.unicodeScalars.append(current!); advance() }
        var datatype = Vocabulary.XSD.integer
        if current == ".", RuleLexer.isDigit(peek(1)) {
            text += "."
            advance()
            while RuleLexer.isDigit(current) { text.unicodeScalars.append(current!); advance() }
            datatype = Vocabulary.XSD.decimal
        }
        if current == "e" || current == "E" {
            text.unicodeScalars.append(current!)
            advance()
            if current == "+" || current == "-" { text.unicodeScalars.append(current!); advance() }
            guard RuleLexer.isDigit(current) else { throw error("the exponent of a number needs digits") }
            while RuleLexer.isDigit(current) { text.unicodeScalars.append(current!); advance() }
            datatype = Vocabulary.XSD.double
        }
        return .number(text, datatype)
    }
}
