import Foundation
import RDF

/// The value of a literal in the OWL 2 RL datatype map (OWL 2 Profiles §4.3 table 8, XSD 1.1 Part 2), for dt-* rules.
///
/// Two literals denote the same value exactly when their `DataValue`s are equal. Following XSD 1.1, the integer
/// types share xsd:decimal's value space (`42` = `42.0`), while float, double, decimal, strings, booleans, binaries,
/// anyURI and dateTime are pairwise disjoint. Integers and decimals are exact (Foundation `Decimal`, 38 digits).
enum DataValue: Hashable {
    case decimal(String)          // canonical Decimal description
    case float(Float)
    case double(Double)
    case string(String)
    case languageString(String, String)
    case boolean(Bool)
    case hexBinary([UInt8])
    case base64Binary([UInt8])
    case anyURI(String)
    case dateTime(Decimal, hasTimezone: Bool)
    case xmlLiteral(String)

    static let xsd = Vocabulary.XSD.namespace
    static let rdf = Vocabulary.RDF.namespace

    /// Integer types and their inclusive bounds (nil = unbounded).
    static let integerRanges: [String: (Decimal?, Decimal?)] = [
        xsd + "integer": (nil, nil), xsd + "nonNegativeInteger": (0, nil), xsd + "positiveInteger": (1, nil),
        xsd + "nonPositiveInteger": (nil, 0), xsd + "negativeInteger": (nil, -1),
        xsd + "long": (Decimal(string: "-9223372036854775808"), Decimal(string: "9223372036854775807")),
        xsd + "int": (-2147483648, 2147483647), xsd + "short": (-32768, 32767), xsd + "byte": (-128, 127),
        xsd + "unsignedLong": (0, Decimal(string: "18446744073709551615")), xsd + "unsignedInt": (0, 4294967295),
        xsd + "unsignedShort": (0, 65535), xsd + "unsignedByte": (0, 255),
    ]
    static let stringTypes: Set<String> = [xsd + "string", xsd + "normalizedString", xsd + "token", xsd + "language",
                                           xsd + "Name", xsd + "NCName", xsd + "NMTOKEN"]
    /// Every datatype of the OWL 2 RL datatype map that kgfuse interprets.
    static let supported: [String] = integerRanges.keys.sorted() + stringTypes.sorted() + [
        xsd + "decimal", xsd + "float", xsd + "double", xsd + "boolean", xsd + "hexBinary", xsd + "base64Binary",
        xsd + "anyURI", xsd + "dateTime", xsd + "dateTimeStamp", rdf + "PlainLiteral", rdf + "XMLLiteral",
        Vocabulary.RDFS.namespace + "Literal",
    ]

    /// The value of `literal` if its datatype is supported: `.some(nil)` when it is ill-typed, nil when unsupported.
    static func of(_ literal: Literal) -> DataValue?? {
        let datatype = literal.datatype.value
        let text = literal.lexicalForm
        if let language = literal.language { return .some(.languageString(text, language)) }
        if integerRanges[datatype] != nil {
            guard matches(text, integerPattern), let value = Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text),
                  isInValueSpace(.decimal(value.description), datatype) else { return .some(nil) }
            return .some(.decimal(value.description))
        }
        if stringTypes.contains(datatype) {
            return .some(isInValueSpace(.string(text), datatype) ? .string(text) : nil)
        }
        switch datatype {
        case xsd + "decimal":
            guard matches(text, decimalPattern), let value = Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return .some(nil) }
            return .some(.decimal(value.description))
        case xsd + "float":
            guard let value = floatingValue(text) else { return .some(nil) }
            let single = Float(value)
            if (single.isInfinite && !value.isInfinite) || (single == 0 && value != 0) { return .some(nil) }  // out of float's range
            return .some(.float(single))
        case xsd + "double":
            guard let value = floatingValue(text) else { return .some(nil) }
            // Out of double's range: a finite numeral that overflows to infinity or a non-zero one that underflows to 0.
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            if (value.isInfinite && !text.hasSuffix("INF")) || (value == 0 && mantissa.contains(where: { $0 >= "1" && $0 <= "9" })) {
                return .some(nil)
            }
            return .some(.double(value))
        case xsd + "boolean":
            switch text {
            case "true", "1": return .some(.boolean(true))
            case "false", "0": return .some(.boolean(false))
            default: return .some(nil)
            }
        case xsd + "hexBinary":
            guard text.count.isMultiple(of: 2), text.allSatisfy(\.isHexDigit) else { return .some(nil) }
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                bytes.append(UInt8(text[index..<next], radix: 16)!)
                index = next
            }
            return .some(.hexBinary(bytes))
        case xsd + "base64Binary":
            let compact = text.filter { $0 != " " }
            guard let data = Data(base64Encoded: compact) else { return .some(nil) }
            return .some(.base64Binary(Array(data)))
        case xsd + "anyURI":
            return .some(isURIReference(text) ? .anyURI(text) : nil)
        case xsd + "dateTime", xsd + "dateTimeStamp":
            guard let (instant, hasTimezone) = dateTime(text), hasTimezone || datatype == xsd + "dateTime" else { return .some(nil) }
            return .some(.dateTime(instant, hasTimezone: hasTimezone))
        case rdf + "PlainLiteral":
            // "text@lang" (rdf:PlainLiteral §3): an empty tag means a plain string.
            guard let at = text.lastIndex(of: "@") else { return .some(nil) }
            let value = String(text[..<at]), tag = String(text[text.index(after: at)...])
            if tag.isEmpty { return .some(.string(value)) }
            guard matches(tag, languageTagPattern) else { return .some(nil) }
            return .some(.languageString(value, tag.lowercased()))
        case rdf + "XMLLiteral":
            return .some(isWellFormedXMLContent(text) ? .xmlLiteral(text) : nil)
        default:
            return nil
        }
    }

    /// True when the value belongs to the value space of `datatype` (a supported datatype IRI).
    static func isInValueSpace(_ value: DataValue, _ datatype: String) -> Bool {
        if datatype == Vocabulary.RDFS.namespace + "Literal" { return true }
        if let (low, high) = integerRanges[datatype] {
            guard case .decimal(let text) = value, let number = Decimal(string: text) else { return false }
            var rounded = Decimal(), copy = number
            NSDecimalRound(&rounded, &copy, 0, .plain)
            guard rounded == number else { return false }
            if let low, number < low { return false }
            if let high, number > high { return false }
            return true
        }
        switch (value, datatype) {
        case (.decimal, xsd + "decimal"), (.float, xsd + "float"), (.double, xsd + "double"), (.boolean, xsd + "boolean"),
             (.hexBinary, xsd + "hexBinary"), (.base64Binary, xsd + "base64Binary"), (.anyURI, xsd + "anyURI"),
             (.dateTime, xsd + "dateTime"), (.xmlLiteral, rdf + "XMLLiteral"), (.string, rdf + "PlainLiteral"),
             (.languageString, rdf + "PlainLiteral"), (.string, xsd + "string"), (.languageString, rdf + "langString"):
            return true
        case (.dateTime(_, let hasTimezone), xsd + "dateTimeStamp"):
            return hasTimezone
        case (.string(let text), xsd + "normalizedString"):
            return !text.contains { $0 == "\n" || $0 == "\r" || $0 == "\t" }
        case (.string(let text), xsd + "token"):
            return !text.contains { $0 == "\n" || $0 == "\r" || $0 == "\t" } && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains("  ")
        case (.string(let text), xsd + "language"): return matches(text, languageTagPattern)
        case (.string(let text), xsd + "NMTOKEN"): return !text.isEmpty && text.unicodeScalars.allSatisfy(isNameChar)
        case (.string(let text), xsd + "Name"):
            guard let first = text.unicodeScalars.first else { return false }
            return isNameStartChar(first) && text.unicodeScalars.allSatisfy(isNameChar)
        case (.string(let text), xsd + "NCName"):
            guard let first = text.unicodeScalars.first, first != ":" else { return false }
            return isNameStartChar(first) && text.unicodeScalars.allSatisfy { isNameChar($0) && $0 != ":" }
        default:
            return false
        }
    }

    static var integerPattern: Regex<Substring> { #/^[+-]?[0-9]+$/# }
    static var decimalPattern: Regex<(Substring, Substring, Substring?)> { #/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/# }
    static var languageTagPattern: Regex<(Substring, Substring?)> { #/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/# }

    static func matches<Output>(_ text: String, _ pattern: Regex<Output>) -> Bool { (try? pattern.wholeMatch(in: text)) != nil }

    /// xsd:double / xsd:float lexical space: decimal or scientific notation, INF, -INF, +INF, NaN.
    static func floatingValue(_ text: String) -> Double? {
        switch text {
        case "INF", "+INF": return .infinity
        case "-INF": return -.infinity
        case "NaN": return .nan
        default:
            guard matches(text, #/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/#) else { return nil }
            return Double(text)
        }
    }

    /// NameStartChar of XML 1.0 §2.3 (ASCII letters, '_', ':' and the non-ASCII ranges).
    static func isNameStartChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
             0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default: return false
        }
    }

    /// NameChar of XML 1.0 §2.3.
    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        if isNameStartChar(c) { return true }
        switch c.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }

    /// An RFC 3986 URI reference, loosely: no white space or forbidden characters, and a colon before any
    /// '/', '?' or '#' must end a valid scheme.
    static func isURIReference(_ text: String) -> Bool {
        if text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "{" || $0 == "}" || $0 == "\\" || $0 == "^" || $0 == "`" || $0 == "|" }) {
            return false
        }
        guard let colon = text.firstIndex(of: ":") else { return true }
        let head = text[..<colon]
        if head.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return true }
        guard let first = head.first, first.isASCII, first.isLetter else { return false }
        return head.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// xsd:dateTime: `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?` as seconds (UTC when a timezone is given).
    static func dateTime(_ text: String) -> (Decimal, Bool)? {
        let pattern = #/^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)(Z|[+-][0-9]{2}:[0-9]{2})?$/#
        guard let match = try? pattern.wholeMatch(in: text) else { return nil }
        guard let year = Int(match.1), let month = Int(match.2), let day = Int(match.3), let hour = Int(match.4), let minute = Int(match.5),
              let second = Decimal(string: String(match.6)) else { return nil }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= monthDays[month - 1], hour <= 24, minute <= 59, second < 60 else { return nil }
        if hour == 24 && (minute != 0 || second != 0) { return nil }
        // Days since 0000-03-01 by the civil-from-days algorithm (Hinnant), then seconds.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra
        var seconds = Decimal(days) * 86400 + Decimal(hour * 3600 + minute * 60) + second
        var hasTimezone = false
        if let zone = match.7 {
            hasTimezone = true
            if zone != "Z" {
                let sign = zone.hasPrefix("-") ? -1 : 1
                let parts = zone.dropFirst().split(separator: ":")
                guard let h = Int(parts[0]), let m = Int(parts[1]), h <= 14, m <= 59 else { return nil }
                seconds -= Decimal(sign * (h * 3600 + m * 60))
            }
        }
        return (seconds, hasTimezone)
    }

    /// A light well-formedness check of XML content: tags nest and close, attributes are quoted.
    static func isWellFormedXMLContent(_ text: String) -> Bool {
        var stack: [Substring] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "<") {
            guard let close = text[open...].firstIndex(of: ">") else { return false }
            let inside = text[text.index(after: open)..<close]
            if inside.hasPrefix("!--") || inside.hasPrefix("?") {
            } else if inside.hasPrefix("/") {
                guard stack.popLast() == inside.dropFirst().trimmingCharacters(in: .whitespaces)[...] else { return false }
            } else {
                let selfClosing = inside.hasSuffix("/")
                let name = inside.prefix { !$0.isWhitespace && $0 != "/" }
                guard let first = name.unicodeScalars.first, isNameStartChar(first) else { return false }
                if inside.filter({ $0 == "\"" }).count % 2 != 0 || inside.filter({ $0 == "'" }).count % 2 != 0 { return false }
                if !selfClosing { stack.append(name) }
            }
            index = text.index(after: close)
        }
        return stack.isEmpty
    }
}
