import RDF

/// Computes term ids without building a `StoredTerm`: the same 63-bit FNV-1a as `StoredTerm.id`.
enum TermHashing {
    static let offsetBasis: UInt64 = 0xcbf29ce484222325
    static let prime: UInt64 = 0x100000001b3

    @inline(__always)
    static func mix(_ h: inout UInt64, _ byte: UInt8) { h = (h ^ UInt64(byte)) &* prime }

    @inline(__always)
    static func mix(_ h: inout UInt64, _ text: String) {
        var copy = text
        copy.withUTF8 { bytes in for b in bytes { h = (h ^ UInt64(b)) &* prime } }
    }

    /// The id of `term` with blank nodes scoped by `blankPrefix` (`g<graph id>_`), and a second, independent
    /// 64-bit hash (multiplier 0x9E3779B97F4A7C15) that lets a loader tell two terms with the same id apart.
    static func id(of term: Term, blankPrefix: String) -> (id: Int64, check: UInt64) {
        var state = (h: offsetBasis, check: UInt64(0x243F6A8885A308D3))
        @inline(__always) func byte(_ b: UInt8) {
            state.h = (state.h ^ UInt64(b)) &* prime
            state.check = (state.check &+ UInt64(b) &+ 1) &* 0x9E3779B97F4A7C15
        }
        @inline(__always) func text(_ t: String) {
            var copy = t
            copy.withUTF8 { bytes in for b in bytes { byte(b) } }
        }
        switch term {
        case .iri(let iri):
            byte(UInt8(StoredTerm.iriKind)); text(iri.value); byte(0); byte(0)
        case .blank(let node):
            byte(UInt8(StoredTerm.blankKind)); text(blankPrefix); text(node.id); byte(0); byte(0)
        case .literal(let literal):
            byte(UInt8(StoredTerm.literalKind)); text(literal.lexicalForm); byte(0)
            text(literal.datatype.value); byte(0)
            if let language = literal.language { text(language) }
        }
        return (finish(state.h), state.check)
    }

    @inline(__always)
    static func finish(_ h: UInt64) -> Int64 {
        let masked = Int64(bitPattern: h & 0x7FFF_FFFF_FFFF_FFFF)
        return masked == 0 ? 1 : masked
    }
}
