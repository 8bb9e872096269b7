import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the bulk-load hot path.
///
/// GRDB prepares and owns the statement; binding and stepping here avoid building argument arrays per row.
/// This is the only file that imports GRDBSQLite.
struct BulkStatement {
    let statement: Statement
    let handle: OpaquePointer
    let connection: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        guard let connection = db.sqliteConnection else { throw StoreError(.sqlite, "database connection is closed") }
        self.connection = connection
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds a 64-bit integer to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    /// Binds text (or NULL) to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                if let base = $0.baseAddress {
                    _ = sqlite3_bind_text(handle, index, base, Int32($0.count), BulkStatement.transient)
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, BulkStatement.transient)
                }
            }
        }
    }

    /// Binds `bytes` as a BLOB (`asText` false) or as UTF-8 text to the 1-based parameter `index`, without a copy
    /// (SQLITE_STATIC): the memory must stay valid and unchanged until the statement has run.
    func bindUncopied(_ index: Int32, _ bytes: UnsafeRawBufferPointer, asText: Bool) {
        // A null pointer would bind NULL: an empty buffer binds a zero-length BLOB or empty text.
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            if asText { _ = sqlite3_bind_text(handle, index, "", 0, BulkStatement.transient) } else { _ = sqlite3_bind_zeroblob(handle, index, 0) }
            return
        }
        if asText {
            _ = sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        } else {
            _ = sqlite3_bind_blob(handle, index, base, Int32(bytes.count), nil)
        }
    }

    /// Executes a statement that returns no rows and resets it; returns the number of rows changed.
    @discardableResult
    func run() throws -> Int {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE else {
            throw StoreError(.sqlite, "SQLite error \(code): \(String(cString: sqlite3_errmsg(connection)))")
        }
        return Int(sqlite3_changes(connection))
    }

    /// Steps a query expected to return at most one row and reads its columns as text; resets afterwards.
    func fetchRow(columns: Int32) throws -> [String?]? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else {
            throw StoreError(.sqlite, "SQLite error \(code): \(String(cString: sqlite3_errmsg(connection)))")
        }
        return (0..<columns).map { column in
            sqlite3_column_text(handle, column).map { String(cString: $0) }
        }
    }
}
