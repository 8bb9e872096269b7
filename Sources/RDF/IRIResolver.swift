/// Resolves relative IRI references against a base IRI, following RFC 3986 §5.2
/// (<https://www.rfc-editor.org/rfc/rfc3986#section-5.2>), including `remove_dot_segments`.
public struct IRIResolver: Sendable, Equatable {
    /// The components of an IRI reference (RFC 3986 §3); nil means the component is absent.
    struct Components: Equatable, Sendable {
        var scheme: Substring?
        var authority: Substring?
        var path: Substring
        var query: Substring?
        var fragment: Substring?
    }

    /// The base IRI, or nil when none is known (then only absolute references resolve).
    public let base: String?
    private let baseComponents: Components?

    /// Creates a resolver for `base`; a nil base resolves absolute IRIs only.
    public init(base: String?) {
        self.base = base
        self.baseComponents = base.map { IRIResolver.split(Substring($0)) }
    }

    /// Resolves `reference` (RFC 3986 §5.2.2); returns nil if it is relative and there is no base.
    public func resolve(_ reference: String) -> String? {
        let r = IRIResolver.split(Substring(reference))
        if r.scheme != nil {
            return IRIResolver.recompose(scheme: r.scheme, authority: r.authority,
                                         path: IRIResolver.removeDotSegments(r.path), query: r.query, fragment: r.fragment)
        }
        guard let b = baseComponents, b.scheme != nil else { return nil }
        var t = Components(scheme: b.scheme, authority: nil, path: "", query: nil, fragment: r.fragment)
        if r.authority != nil {
            t.authority = r.authority
            t.path = IRIResolver.removeDotSegments(r.path)
            t.query = r.query
        } else {
            if r.path.isEmpty {
                t.path = b.path
                t.query = r.query ?? b.query
            } else {
                if r.path.hasPrefix("/") {
                    t.path = IRIResolver.removeDotSegments(r.path)
                } else {
                    t.path = IRIResolver.removeDotSegments(IRIResolver.merge(base: b, path: r.path))
                }
                t.query = r.query
            }
            t.authority = b.authority
        }
        return IRIResolver.recompose(scheme: t.scheme, authority: t.authority, path: t.path, query: t.query, fragment: t.fragment)
    }

    /// Splits an IRI reference into its five components (RFC 3986 Appendix B).
    static func split(_ s: Substring) -> Components {
        var rest = s[...]
        var scheme: Substring?
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        if let colon = rest.firstIndex(of: ":") {
            let candidate = rest[..<colon]
            if let first = candidate.first, first.isASCII, first.isLetter,
               candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }) {
                scheme = candidate
                rest = rest[rest.index(after: colon)...]
            }
        }
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var authority: Substring?
        if rest.hasPrefix("//") {
            let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
            authority = rest[afterSlashes..<end]
            rest = rest[end...]
        }
        return Components(scheme: scheme, authority: authority, path: rest, query: query, fragment: fragment)
    }

    /// RFC 3986 §5.2.3: merges a relative path with the base's path.
    static func merge(base: Components, path: Substring) -> Substring {
        if base.authority != nil && base.path.isEmpty { return "/" + path }
        if let slash = base.path.lastIndex(of: "/") {
            return base.path[...slash] + path
        }
        return path
    }

    /// RFC 3986 §5.2.4: removes `.` and `..` segments from a path.
    static func removeDotSegments(_ path: Substring) -> Substring {
        if !path.contains(".") { return path }
        var input = path[...]
        var output: [Substring] = []
        while !input.isEmpty {
            if input.hasPrefix("../") { input = input.dropFirst(3) }
            else if input.hasPrefix("./") { input = input.dropFirst(2) }
            else if input.hasPrefix("/./") { input = input.dropFirst(2) }
            else if input == "/." { input = "/" }
            else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                // Move the first segment (with its leading "/", if any) to the output.
                var end = input.startIndex
                if input.first == "/" { end = input.index(after: end) }
                end = input[end...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        return Substring(output.joined())
    }

    static func recompose(scheme: Substring?, authority: Substring?, path: Substring, query: Substring?, fragment: Substring?) -> String {
        var result = ""
        if let scheme { result += scheme; result += ":" }
        if let authority { result += "//"; result += authority }
        result += path
        if let query { result += "?"; result += query }
        if let fragment { result += "#"; result += fragment }
        return result
    }
}
