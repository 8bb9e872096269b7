import GRDBSQLite

/// The SQL face of the quad blocks: an eponymous, read-only virtual table `quads(g, s, p, o)`.
///
/// Every connection of the store registers it (see `KnowledgeStore.init`), so queries read `quads` as if it were a
/// table with SPO, POS and OSP indexes: the planner offers the bound columns, `QuadScanPlan` picks the index order,
/// and `QuadScan` seeks in each graph's blocks. Writes go through `QuadBlocks` (a graph is written whole).
enum QuadTable {
    /// The virtual table's name in SQL.
    static let name = "quads"

    /// Registers the table on a connection; call once per connection before it reads `quads`.
    static func register(on connection: OpaquePointer) -> Int32 {
        sqlite3_create_module_v2(connection, name, module, nil, nil)
    }

    /// The module's callbacks. It is never freed: every connection of the process uses it.
    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        precondition(MemoryLayout<QuadTableObject>.offset(of: \QuadTableObject.base) == 0
                     && MemoryLayout<QuadCursorObject>.offset(of: \QuadCursorObject.base) == 0,
                     "the SQLite base structs must come first")
        var module = sqlite3_module()
        module.iVersion = 1
        module.xCreate = nil  // eponymous-only: the table exists on every connection that registers the module
        module.xConnect = { connection, _, _, _, tableOut, _ in
            guard let connection, let tableOut else { return SQLITE_ERROR }
            let code = sqlite3_declare_vtab(connection, "CREATE TABLE x(g INTEGER, s INTEGER, p INTEGER, o INTEGER)")
            guard code == SQLITE_OK else { return code }
            let object = UnsafeMutablePointer<QuadTableObject>.allocate(capacity: 1)
            object.initialize(to: QuadTableObject(base: sqlite3_vtab(), connection: connection))
            tableOut.pointee = UnsafeMutableRawPointer(object).assumingMemoryBound(to: sqlite3_vtab.self)
            return SQLITE_OK
        }
        module.xBestIndex = { _, info in
            guard let info else { return SQLITE_ERROR }
            QuadTable.bestIndex(info)
            return SQLITE_OK
        }
        module.xDisconnect = { table in
            guard let table else { return SQLITE_OK }
            let object = UnsafeMutableRawPointer(table).assumingMemoryBound(to: QuadTableObject.self)
            sqlite3_free(object.pointee.base.zErrMsg)
            object.deinitialize(count: 1)
            object.deallocate()
            return SQLITE_OK
        }
        module.xDestroy = nil
        module.xOpen = { table, cursorOut in
            guard let table, let cursorOut else { return SQLITE_ERROR }
            let object = UnsafeMutableRawPointer(table).assumingMemoryBound(to: QuadTableObject.self)
            do {
                let scan = try QuadScan(connection: object.pointee.connection)
                let cursor = UnsafeMutablePointer<QuadCursorObject>.allocate(capacity: 1)
                cursor.initialize(to: QuadCursorObject(base: sqlite3_vtab_cursor(), scan: Unmanaged.passRetained(scan)))
                cursorOut.pointee = UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
                return SQLITE_OK
            } catch {
                QuadTable.setError(table, "\(error)")
                return SQLITE_ERROR
            }
        }
        module.xClose = { cursor in
            guard let cursor else { return SQLITE_OK }
            let object = UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: QuadCursorObject.self)
            object.pointee.scan.release()
            object.deinitialize(count: 1)
            object.deallocate()
            return SQLITE_OK
        }
        module.xFilter = { cursor, idxNum, _, argumentCount, arguments in
            guard let cursor else { return SQLITE_ERROR }
            let scan = QuadTable.scan(cursor)
            var values: [Int64?] = []
            for index in 0..<Int(argumentCount) {
                let value = arguments?[index]
                values.append(sqlite3_value_type(value) == SQLITE_NULL ? nil : sqlite3_value_int64(value))
            }
            do {
                try scan.start(plan: QuadScanPlan(idxNum: idxNum), values: values)
                return SQLITE_OK
            } catch {
                QuadTable.setError(cursor.pointee.pVtab, "\(error)")
                return SQLITE_ERROR
            }
        }
        module.xNext = { cursor in
            guard let cursor else { return SQLITE_ERROR }
            do {
                try QuadTable.scan(cursor).advance()
                return SQLITE_OK
            } catch {
                QuadTable.setError(cursor.pointee.pVtab, "\(error)")
                return SQLITE_ERROR
            }
        }
        module.xEof = { cursor in
            guard let cursor else { return 1 }
            return QuadTable.scan(cursor).atEnd ? 1 : 0
        }
        module.xColumn = { cursor, context, column in
            guard let cursor else { return SQLITE_ERROR }
            let scan = QuadTable.scan(cursor)
            switch column {
            case 0: sqlite3_result_int64(context, scan.graph)
            case 1: sqlite3_result_int64(context, scan.triple.x)
            case 2: sqlite3_result_int64(context, scan.triple.y)
            default: sqlite3_result_int64(context, scan.triple.z)
            }
            return SQLITE_OK
        }
        module.xRowid = { cursor, rowid in
            guard let cursor else { return SQLITE_ERROR }
            rowid?.pointee = QuadTable.scan(cursor).rowNumber
            return SQLITE_OK
        }
        let pointer = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        pointer.initialize(to: module)
        return pointer
    }()

    private static func scan(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>) -> QuadScan {
        UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: QuadCursorObject.self).pointee.scan.takeUnretainedValue()
    }

    /// Offers the planner the equality constraints it can use: each bound column is used once and not re-checked.
    private static func bestIndex(_ info: UnsafeMutablePointer<sqlite3_index_info>) {
        var chosen: [Int: Int] = [:]  // column → constraint index
        for index in 0..<Int(info.pointee.nConstraint) {
            let constraint = info.pointee.aConstraint[index]
            let column = Int(constraint.iColumn)
            guard constraint.usable != 0, constraint.op == UInt8(SQLITE_INDEX_CONSTRAINT_EQ),
                  (0..<4).contains(column), chosen[column] == nil else { continue }
            chosen[column] = index
        }
        var bound: Int32 = 0
        var argument: Int32 = 1
        for column in 0..<4 {
            guard let index = chosen[column] else { continue }
            bound |= QuadScanPlan.bit(column: column)
            info.pointee.aConstraintUsage[index].argvIndex = argument
            info.pointee.aConstraintUsage[index].omit = 1
            argument += 1
        }
        let plan = QuadScanPlan(boundColumns: bound)
        info.pointee.idxNum = plan.idxNum
        var rows = plan.estimatedRows
        if bound & 1 != 0 && plan.prefixLength == 0 { rows /= 4 }
        info.pointee.estimatedRows = rows
        info.pointee.estimatedCost = Double(rows) + (plan.prefixLength == 0 ? 0 : 20)
        if plan.prefixLength == 3 { info.pointee.idxFlags |= Int32(SQLITE_INDEX_SCAN_UNIQUE) }
    }

    /// Hands SQLite an error message for the table (SQLite frees it).
    private static func setError(_ table: UnsafeMutablePointer<sqlite3_vtab>?, _ message: String) {
        guard let table else { return }
        sqlite3_free(table.pointee.zErrMsg)
        let bytes = Array(message.utf8) + [0]
        guard let copy = sqlite3_malloc(Int32(bytes.count)) else { table.pointee.zErrMsg = nil; return }
        copy.copyMemory(from: bytes, byteCount: bytes.count)
        table.pointee.zErrMsg = copy.assumingMemoryBound(to: CChar.self)
    }
}

/// The table object SQLite holds: its base struct first, then the connection.
private struct QuadTableObject {
    var base: sqlite3_vtab
    var connection: OpaquePointer
}

/// The cursor object SQLite holds: its base struct first, then the scan.
private struct QuadCursorObject {
    var base: sqlite3_vtab_cursor
    var scan: Unmanaged<QuadScan>
}
