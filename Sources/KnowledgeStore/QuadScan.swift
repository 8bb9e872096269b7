import GRDBSQLite

/// How one scan of `quads` reads the blocks: which index order, and which of g, s, p, o are bound.
///
/// Packed into the virtual table's `idxNum`: bits 0–3 say which columns are bound (g 1, s 2, p 4, o 8) and bits 4–5
/// the `QuadBlocks.Ordering`. The bound values arrive in column order g, s, p, o.
struct QuadScanPlan: Equatable {
    /// Bit per bound column: g 1, s 2, p 4, o 8.
    var boundColumns: Int32
    /// The index order whose key starts with the most bound components.
    var ordering: QuadBlocks.Ordering

    /// The bit of column `column` (0 g, 1 s, 2 p, 3 o).
    static func bit(column: Int) -> Int32 { 1 << Int32(column) }

    /// The plan for a set of bound columns: SPO when s is bound (OSP when s and o are but p is not), POS when p is
    /// bound without s, OSP when only o is, SPO (a full scan) when none is.
    init(boundColumns: Int32) {
        self.boundColumns = boundColumns
        let (s, p, o) = (boundColumns & 2 != 0, boundColumns & 4 != 0, boundColumns & 8 != 0)
        if s { ordering = (p || !o) ? .spo : .osp } else if p { ordering = .pos } else if o { ordering = .osp } else { ordering = .spo }
    }

    init(idxNum: Int32) {
        boundColumns = idxNum & 15
        ordering = QuadBlocks.Ordering(rawValue: Int64((idxNum >> 4) & 3)) ?? .spo
    }

    /// The plan as the virtual table's `idxNum`.
    var idxNum: Int32 { boundColumns | Int32(ordering.rawValue) << 4 }

    /// How many leading key components are bound (the seek prefix).
    var prefixLength: Int {
        var length = 0
        while length < 3 {
            let component = (0..<3).first { ordering.keyPosition(ofComponent: $0) == length }!
            guard boundColumns & QuadScanPlan.bit(column: component + 1) != 0 else { break }
            length += 1
        }
        return length
    }

    /// The planner's row estimate: a seek on a longer or more selective prefix returns fewer rows.
    var estimatedRows: Int64 {
        switch (ordering, prefixLength) {
        case (_, 0): return 1_000_000
        case (.spo, 1): return 10
        case (.pos, 1): return 50_000
        case (.osp, 1): return 30
        case (.pos, 2): return 100
        case (_, 2): return 3
        default: return 1
        }
    }
}

/// The state of one open cursor on `quads`: a seek on a key prefix in each graph's run of blocks, in turn.
///
/// Every bound column is checked here (the prefix by the seek, the rest per triple), so SQLite need not.
final class QuadScan {
    private let connection: OpaquePointer
    /// `SELECT triples … WHERE ordering = ?1 AND g = ?2 AND (la, lb, lc) >= (?3, ?4, ?5) ORDER BY la, lb, lc`.
    private let blocks: OpaquePointer
    private var graphList: [Int64]?

    private var plan = QuadScanPlan(boundColumns: 0)
    private var prefix: [Int64] = []
    /// Bound triple components outside the prefix: (key position, value).
    private var residual: [(position: Int, value: Int64)] = []
    private var graphs: [Int64] = []
    private var graphIndex = 0
    /// The current block's bytes (valid while `blocks` stays on its row) and its number of keys.
    private var block: UnsafeRawPointer?
    /// The graph and ordering the block statement was last bound to.
    private var blockGraph: Int64 = 0
    private var blockOrdering = QuadBlocks.Ordering.spo
    private var blockKeys = 0
    private var position = 0
    private var statementActive = false

    /// True when the scan has no current row.
    private(set) var atEnd = true
    /// The graph of the current row.
    private(set) var graph: Int64 = 0
    /// The current row's triple (s, p, o).
    private(set) var triple = SIMD3<Int64>(0, 0, 0)
    /// A counter that serves as the row id.
    private(set) var rowNumber: Int64 = 0

    init(connection: OpaquePointer) throws {
        self.connection = connection
        var statement: OpaquePointer?
        let sql = "SELECT triples FROM quad_blocks WHERE ordering = ?1 AND g = ?2 AND (la, lb, lc) >= (?3, ?4, ?5) ORDER BY la, lb, lc"
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError(.sqlite, "cannot prepare the quad block scan: \(String(cString: sqlite3_errmsg(connection)))")
        }
        blocks = statement
    }

    deinit { sqlite3_finalize(blocks) }

    /// Starts a scan for `plan` with the bound values `values` (column order g, s, p, o).
    func start(plan: QuadScanPlan, values: [Int64?]) throws {
        self.plan = plan
        rowNumber = 0
        atEnd = true
        var bound: [Int64?] = [nil, nil, nil, nil]
        var next = 0
        for column in 0..<4 where plan.boundColumns & QuadScanPlan.bit(column: column) != 0 {
            guard next < values.count, let value = values[next] else { return }  // `= NULL` matches nothing
            bound[column] = value
            next += 1
        }
        let length = plan.prefixLength
        prefix = []
        residual = []
        for keyPosition in 0..<3 {
            let component = (0..<3).first { plan.ordering.keyPosition(ofComponent: $0) == keyPosition }!
            guard let value = bound[component + 1] else { continue }
            if keyPosition < length { prefix.append(value) } else { residual.append((keyPosition, value)) }
        }
        if let graph = bound[0] { graphs = [graph] } else { graphs = try allGraphs() }
        graphIndex = -1
        position = 0
        try seekNextGraph()
    }

    /// Moves to the next matching row.
    func advance() throws {
        position += 1
        rowNumber += 1
        try findMatch()
    }

    private func allGraphs() throws -> [Int64] {
        if let graphList { return graphList }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT id FROM graphs ORDER BY id", -1, &statement, nil) == SQLITE_OK, let statement else {
            throw sqliteError("cannot list the graphs")
        }
        defer { sqlite3_finalize(statement) }
        var list: [Int64] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw sqliteError("cannot list the graphs") }
            list.append(sqlite3_column_int64(statement, 0))
        }
        graphList = list
        return list
    }

    /// Positions at the first block of the next graph that can hold the prefix, then at the first match.
    private func seekNextGraph() throws {
        while true {
            graphIndex += 1
            guard graphIndex < graphs.count else { atEnd = true; return }
            if try reuseBlock() { return }
            sqlite3_reset(blocks)
            blockGraph = graphs[graphIndex]
            blockOrdering = plan.ordering
            sqlite3_bind_int64(blocks, 1, plan.ordering.rawValue)
            sqlite3_bind_int64(blocks, 2, graphs[graphIndex])
            for index in 0..<3 { sqlite3_bind_int64(blocks, Int32(index + 3), index < prefix.count ? prefix[index] : Int64.min) }
            statementActive = true
            guard try readBlock() else { continue }
            position = lowerBound()
            try findMatch()
            return
        }
    }

    /// When the block the last seek stopped in holds the new prefix's lower bound, seeks inside it and returns true.
    ///
    /// Joins probe the inner table with keys that often rise slowly (an outer scan in key order), so consecutive
    /// seeks tend to land in the same block; this saves a B-tree descent and a blob read for each of them.
    private func reuseBlock() throws -> Bool {
        guard statementActive, blockKeys > 0, blockGraph == graphs[graphIndex], blockOrdering == plan.ordering,
              comparePrefix(key(0)) < 0, comparePrefix(key(blockKeys - 1)) >= 0 else { return false }
        position = lowerBound()
        try findMatch()
        return true
    }

    /// Steps to the next block of the current graph's run; false at its end.
    private func readBlock() throws -> Bool {
        let code = sqlite3_step(blocks)
        if code == SQLITE_DONE { block = nil; blockKeys = 0; return false }
        guard code == SQLITE_ROW else { throw sqliteError("cannot read a quad block") }
        block = sqlite3_column_blob(blocks, 0)
        blockKeys = block == nil ? 0 : Int(sqlite3_column_bytes(blocks, 0)) / TripleBytes.stride
        position = 0
        return true
    }

    /// Key `index` of the current block, read in place.
    @inline(__always)
    private func key(_ index: Int) -> SIMD3<Int64> { TripleBytes.triple(at: index, in: block!) }

    /// The first key of the block that is ≥ the prefix.
    private func lowerBound() -> Int {
        var low = 0, high = blockKeys
        while low < high {
            let middle = (low + high) / 2
            if comparePrefix(key(middle)) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Compares a key's leading components with the prefix: negative before it, 0 inside it, positive after it.
    @inline(__always)
    private func comparePrefix(_ key: SIMD3<Int64>) -> Int {
        for index in 0..<prefix.count where key[index] != prefix[index] {
            return key[index] < prefix[index] ? -1 : 1
        }
        return 0
    }

    /// From `position` on, finds the next key inside the prefix that passes the residual checks.
    private func findMatch() throws {
        while true {
            if position >= blockKeys {
                if try !readBlock() { try seekNextGraph(); return }
                continue
            }
            let key = key(position)
            if comparePrefix(key) != 0 { try seekNextGraph(); return }
            if residual.allSatisfy({ key[$0.position] == $0.value }) {
                graph = graphs[graphIndex]
                triple = plan.ordering.triple(key)
                atEnd = false
                return
            }
            position += 1
        }
    }

    private func sqliteError(_ what: String) -> StoreError {
        StoreError(.sqlite, "\(what): \(String(cString: sqlite3_errmsg(connection)))")
    }
}
