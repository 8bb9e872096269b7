import RDF

extension KnowledgeStore {
    /// Resolves what a person typed to name an entity: `<IRI>`, a prefixed name from the loaded documents,
    /// an OBO CURIE such as `HP:0001250` (→ `http://purl.obolibrary.org/obo/HP_0001250`), or an exact label.
    public func resolveEntity(_ text: String) throws -> Term {
        let prefixes = try prefixes()
        do {
            return try TriplePattern.parseTerm(text, prefixes: prefixes)
        } catch let error as StoreError {
            if let curie = KnowledgeStore.expandOBOCURIE(text) { return .iri(curie) }
            let matches = try entities(labelled: text)
            if matches.count == 1 { return .iri(matches[0]) }
            if matches.count > 1 {
                throw StoreError(.badPattern, "'\(text)' is the label of \(matches.count) entities: " +
                                 matches.prefix(5).map { "<\($0.value)>" }.joined(separator: ", "))
            }
            throw error
        }
    }

    /// `HP:0001250` → `http://purl.obolibrary.org/obo/HP_0001250` (OBO Foundry identifier convention).
    public static func expandOBOCURIE(_ text: String) -> IRI? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let idspace = parts.first, !idspace.isEmpty,
              idspace.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
              !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else { return nil }
        return IRI("http://purl.obolibrary.org/obo/\(idspace)_\(parts[1])")
    }

    /// A compact name for an IRI: `prefix:local` when a known prefix fits, an OBO CURIE for OBO IRIs, else `<IRI>`.
    public static func compactName(_ iri: String, prefixes: [String: String]) -> String {
        var best: (String, String)? = nil
        for (prefix, namespace) in prefixes where iri.hasPrefix(namespace) && namespace.count > (best?.1.count ?? 0) {
            best = (prefix, namespace)
        }
        if let (prefix, namespace) = best {
            let local = iri.dropFirst(namespace.count)
            if !local.isEmpty, local.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
                return "\(prefix):\(local)"
            }
        }
        let obo = "http://purl.obolibrary.org/obo/"
        if iri.hasPrefix(obo) {
            let local = iri.dropFirst(obo.count)
            if let underscore = local.firstIndex(of: "_"), !local[..<underscore].isEmpty,
               local[local.index(after: underscore)...].allSatisfy({ $0.isNumber }) {
                return "\(local[..<underscore]):\(local[local.index(after: underscore)...])"
            }
        }
        return "<\(iri)>"
    }
}
