import Foundation
import GRDB

/// The quads of the store, kept as sorted blocks of triples: the SPO, POS and OSP indexes of every graph.
///
/// A graph is always written whole (a load or a reasoning run replaces it), so each of its three index orders is
/// one sorted run of distinct triples cut into blocks of `blockTriples`, one row of `quad_blocks` per block:
/// `(ordering, g, la, lb, lc, triples)`, where `triples` is `count` triples as `TripleBytes` (three little-endian
/// Int64) in that ordering's component order and `(la, lb, lc)` is the block's last triple. The index `quad_blocks_last` on
/// `(ordering, g, la, lb, lc)` finds the first block that can hold a key: the first whose last triple is ≥ it.
/// SQL reads the blocks through the virtual table `quads(g, s, p, o)` (see `QuadTable`).
///
/// Writing a graph costs three in-memory sorts and one row per 128 triples, where a table with three B-tree
/// indexes costs three B-tree insertions per triple.
enum QuadBlocks {
    /// Triples per block for a store with pages of `pageSize` bytes: as many 24-byte triples as one table page holds
    /// beside the row's other columns (677 for 16 KiB pages, 165 for 4 KiB ones), so a block read is one page read.
    static func blockTriples(pageSize: Int) -> Int { max(16, (pageSize - 128) / 24) }

    /// The three index orders: which triple component comes first, second and third.
    enum Ordering: Int64, CaseIterable, Sendable {
        /// (s, p, o)
        case spo = 0
        /// (p, o, s)
        case pos = 1
        /// (o, s, p)
        case osp = 2

        /// The triple `(s, p, o)` rearranged into this ordering's key `(a, b, c)`.
        @inline(__always)
        func key(_ spo: SIMD3<Int64>) -> SIMD3<Int64> {
            switch self {
            case .spo: return spo
            case .pos: return SIMD3(spo.y, spo.z, spo.x)
            case .osp: return SIMD3(spo.z, spo.x, spo.y)
            }
        }

        /// The triple `(s, p, o)` back from this ordering's key `(a, b, c)`.
        @inline(__always)
        func triple(_ key: SIMD3<Int64>) -> SIMD3<Int64> {
            switch self {
            case .spo: return key
            case .pos: return SIMD3(key.z, key.x, key.y)
            case .osp: return SIMD3(key.y, key.z, key.x)
            }
        }

        /// The position in this ordering's key of triple component `component` (0 s, 1 p, 2 o).
        func keyPosition(ofComponent component: Int) -> Int {
            switch self {
            case .spo: return component
            case .pos: return (component + 2) % 3
            case .osp: return (component + 1) % 3
            }
        }
    }

    /// The table and its index (schema migration v3).
    static let schema = """
        CREATE TABLE quad_blocks(
            id INTEGER PRIMARY KEY,
            ordering INTEGER NOT NULL,
            g INTEGER NOT NULL,
            la INTEGER NOT NULL,
            lb INTEGER NOT NULL,
            lc INTEGER NOT NULL,
            triples BLOB NOT NULL);
        CREATE INDEX quad_blocks_last ON quad_blocks(ordering, g, la, lb, lc);
        """

    /// Stores `triples` (s, p, o term ids, any order, duplicates allowed) as the quads of graph `graphID`, which must
    /// hold none yet (see `delete(graph:from:)`). Returns the number of distinct triples stored.
    static func write(_ triples: [SIMD3<Int64>], graph graphID: Int64, into db: Database, trace: inout PhaseTrace) throws -> Int {
        // The three runs are sorted and de-duplicated on the cores at hand, each by one thread.
        let runs = SortedRuns(triples)
        DispatchQueue.concurrentPerform(iterations: 3) { which in runs.sort(which) }
        trace.phase("quads sorted in three orders (writer)")
        let blockTriples = blockTriples(pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)

        let insert = try BulkStatement(db, sql: "INSERT INTO quad_blocks(ordering, g, la, lb, lc, triples) VALUES (?, ?, ?, ?, ?, ?)")
        insert.bind(2, graphID)
        let sortedRuns = runs.runs
        var block: [UInt8] = []
        block.reserveCapacity(blockTriples * TripleBytes.stride)
        for (ordering, run) in zip(Ordering.allCases, sortedRuns) {
            insert.bind(1, ordering.rawValue)
            try run.withUnsafeBufferPointer { keys in
                var start = 0
                while start < keys.count {
                    let end = min(start + blockTriples, keys.count)
                    let last = keys[end - 1]
                    insert.bind(3, last.x)
                    insert.bind(4, last.y)
                    insert.bind(5, last.z)
                    block.removeAll(keepingCapacity: true)
                    for key in keys[start..<end] { TripleBytes.append(key.x, key.y, key.z, to: &block) }
                    try block.withUnsafeBytes { bytes in
                        insert.bindUncopied(6, bytes, asText: false)
                        try insert.run()
                    }
                    start = end
                }
            }
        }
        trace.phase("quad blocks written (writer)")
        return sortedRuns[0].count
    }

    /// Deletes every quad of graph `graphID`.
    static func delete(graph graphID: Int64, from db: Database) throws {
        try db.execute(sql: "DELETE FROM quad_blocks WHERE ordering IN (0, 1, 2) AND g = ?", arguments: [graphID])
    }

    /// The triples (s, p, o) of graph `graphID`, in SPO order.
    static func triples(graph graphID: Int64, in db: Database) throws -> [SIMD3<Int64>] {
        var result: [SIMD3<Int64>] = []
        let blobs = try Row.fetchCursor(db, sql: "SELECT triples FROM quad_blocks WHERE ordering = 0 AND g = ? ORDER BY la, lb, lc",
                                        arguments: [graphID])
        while let row = try blobs.next() {
            let bytes: Data = row[0]
            result += bytes.withUnsafeBytes { TripleBytes.triples($0) }
        }
        return result
    }

    /// Moves the quads of a v1/v2 store's `quads` table into blocks and drops the table (schema migration v3).
    static func migrateTable(_ db: Database) throws {
        let graphIDs = try Int64.fetchAll(db, sql: "SELECT DISTINCT g FROM quads")
        var trace = PhaseTrace()
        for graphID in graphIDs {
            var rows: [SIMD3<Int64>] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT s, p, o FROM quads WHERE g = ?", arguments: [graphID])
            while let row = try cursor.next() { rows.append(SIMD3(row[0], row[1], row[2])) }
            _ = try write(rows, graph: graphID, into: db, trace: &trace)
        }
        try db.execute(sql: "DROP TABLE quads")
    }
}

/// The SPO, POS and OSP runs of a graph, sorted and de-duplicated in parallel: each thread reads the shared input
/// and writes only its own slot.
private final class SortedRuns: @unchecked Sendable {
    private let input: [SIMD3<Int64>]
    private let slots: UnsafeMutableBufferPointer<[SIMD3<Int64>]>

    init(_ triples: [SIMD3<Int64>]) {
        input = triples
        slots = .allocate(capacity: 3)
        slots.initialize(repeating: [])
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The runs in `QuadBlocks.Ordering` order; read after every `sort` has returned.
    var runs: [[SIMD3<Int64>]] { Array(slots) }

    /// Sorts run `which` (0 SPO, 1 POS, 2 OSP) and drops its duplicates.
    func sort(_ which: Int) {
        let ordering = QuadBlocks.Ordering.allCases[which]
        var run = which == 0 ? input : input.map { ordering.key($0) }
        var distinct = 0
        TripleRadixSort.sort(&run)
        run.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices where index == 0 || buffer[index] != buffer[distinct - 1] {
                buffer[distinct] = buffer[index]
                distinct += 1
            }
        }
        run.removeLast(run.count - distinct)
        slots[which] = run
    }
}
