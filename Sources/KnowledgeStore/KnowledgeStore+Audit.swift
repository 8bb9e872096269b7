import Foundation
import GRDB
import Hashing
import RDF

/// A graph a run read, with the sha256 of the document it was loaded from.
public struct OntologyVersion: Sendable, Codable, Equatable, Hashable {
    /// The graph's IRI.
    public var graph: String
    /// The sha256 of its source document (nil for graphs stored from memory).
    public var sha256: String?

    /// Creates an ontology version entry.
    public init(graph: String, sha256: String?) {
        self.graph = graph
        self.sha256 = sha256
    }
}

/// One run as written to the audit log: the `runs` row without its id and hashes.
public struct AuditRun: Sendable, Equatable {
    /// `reason` (materialisation) or `diagnose` (a diagnosis of one case).
    public var kind: String
    /// When the run started (ISO 8601, UTC).
    public var startedAt: String
    /// The sha256 of the case's input, for diagnosis runs.
    public var caseSHA256: String?
    /// The sha256 of the model used, for diagnosis runs.
    public var modelSHA256: String?
    /// The graphs the run read, with their sha256.
    public var ontology: [OntologyVersion]
    /// The sha256 of the rule set (see `KnowledgeStore.sha256(of:)`).
    public var rulesetSHA256: String?
    /// The run's output as JSON text (counts for `reason`, the decision for `diagnose`).
    public var output: String

    /// Creates a run record; `startedAt` defaults to now.
    public init(kind: String, startedAt: String = KnowledgeStore.timestamp(), caseSHA256: String? = nil, modelSHA256: String? = nil,
                ontology: [OntologyVersion], rulesetSHA256: String?, output: String = "{}") {
        self.kind = kind
        self.startedAt = startedAt
        self.caseSHA256 = caseSHA256
        self.modelSHA256 = modelSHA256
        self.ontology = ontology
        self.rulesetSHA256 = rulesetSHA256
        self.output = output
    }
}

/// One rule firing as written to the audit log.
public struct AuditFiring: Sendable, Equatable {
    /// The rule's id.
    public var rule: String
    /// `derive`, `flag`, `veto`, `require` or `inconsistency`.
    public var action: String
    /// `info` ... `critical`.
    public var severity: String
    /// The value of each body variable, by name.
    public var bindings: [String: Term]
    /// The facts the body matched.
    public var premises: [Triple]
    /// The instantiated head.
    public var conclusion: [Triple]
    /// For `require` firings: whether the head held.
    public var satisfied: Bool?

    /// Creates a firing record.
    public init(rule: String, action: String, severity: String, bindings: [String: Term], premises: [Triple],
                conclusion: [Triple], satisfied: Bool? = nil) {
        self.rule = rule
        self.action = action
        self.severity = severity
        self.bindings = bindings
        self.premises = premises
        self.conclusion = conclusion
        self.satisfied = satisfied
    }
}

/// A run read back from the log.
public struct StoredRun: Sendable, Equatable {
    /// The run's id.
    public var id: Int64
    /// The run's fields.
    public var run: AuditRun
    /// The hash of the previous run (64 zeros for the first).
    public var previousHash: String
    /// This row's hash.
    public var hash: String
}

/// A firing read back from the log.
public struct StoredFiring: Sendable, Equatable {
    /// The firing's id.
    public var id: Int64
    /// The run it belongs to.
    public var run: Int64
    /// The firing's fields.
    public var firing: AuditFiring
    /// This row's hash.
    public var hash: String
}

/// The outcome of `verifyAuditLog()`.
public enum AuditVerification: Sendable, Equatable, CustomStringConvertible {
    /// Both chains recompute: every run and firing row is as written.
    case intact(runs: Int, firings: Int)
    /// The first run row whose hash (or link to the previous row) does not recompute.
    case brokenRun(id: Int64, reason: String)
    /// The first firing row whose hash (or link to the previous row) does not recompute.
    case brokenFiring(id: Int64, run: Int64, reason: String)

    /// True for `.intact`.
    public var isIntact: Bool { if case .intact = self { return true } else { return false } }

    /// A one-line report.
    public var description: String {
        switch self {
        case .intact(let runs, let firings): return "OK: \(runs) runs and \(firings) firings verify"
        case .brokenRun(let id, let reason): return "BROKEN at run \(id): \(reason)"
        case .brokenFiring(let id, let run, let reason): return "BROKEN at firing \(id) (run \(run)): \(reason)"
        }
    }
}

/// Writes one run inside the store's write transaction: firings go in as they are appended, each chained to the
/// previous firing row; the run row itself is written last (its output is known only then).
///
/// Obtained from `KnowledgeStore.recordRun(_:)`; valid only inside that call.
public final class AuditRunWriter {
    /// The id the run will have.
    public let runID: Int64
    let db: Database
    private var previousFiringHash: String
    private var nextFiringID: Int64
    private var knownTerms: Set<Int64> = []
    private let insertFiring: BulkStatement
    private let insertTerm: BulkStatement
    var insertDerivation: BulkStatement?
    /// The SQL of the indexes `suspendLogIndexes` dropped.
    private var suspendedIndexes: [String] = []
    /// Number of firings appended so far.
    public private(set) var firingCount = 0

    init(db: Database) throws {
        self.db = db
        runID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM runs") ?? 0) + 1
        let last = try Row.fetchOne(db, sql: "SELECT id, hash FROM firings ORDER BY id DESC LIMIT 1")
        nextFiringID = (last?[0] as Int64? ?? 0) + 1
        previousFiringHash = last?[1] ?? KnowledgeStore.genesisHash
        insertFiring = try BulkStatement(db, sql: """
            INSERT INTO firings(id, run, rule, action, severity, bindings, premises, conclusion, satisfied, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertTerm = try BulkStatement(db, sql: "INSERT INTO terms(id, kind, value, datatype, lang) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING")
    }

    /// The store id of `term`, adding the term to the `terms` table if it is new (blank nodes keep their label).
    public func termID(_ term: Term) throws -> Int64 {
        let encoded = StoredTerm(queryTerm: term)
        let id = encoded.id
        if knownTerms.insert(id).inserted {
            insertTerm.bind(1, id)
            insertTerm.bind(2, Int64(encoded.kind))
            insertTerm.bind(3, encoded.value)
            insertTerm.bind(4, encoded.datatype)
            insertTerm.bind(5, encoded.language)
            try insertTerm.run()
        }
        return id
    }

    /// `[[s,p,o],...]` of store term ids.
    func encodeTriples(_ triples: [Triple]) throws -> String {
        var text = "["
        for (index, triple) in triples.enumerated() {
            if index > 0 { text += "," }
            text += "[\(try termID(triple.subject)),\(try termID(triple.predicate)),\(try termID(triple.object))]"
        }
        return text + "]"
    }

    /// Lets SQLite keep up to `megabytes` of pages in memory for the rest of this connection's life (the default
    /// 2 MB makes a large run spill dirty pages to the WAL, and re-read them, many times before its commit).
    public func reservePageCache(megabytes: Int) throws {
        try db.execute(sql: "PRAGMA cache_size = -\(megabytes * 1024)")
    }

    /// Drops the secondary indexes of `firings` and `derivations` (keeping their SQL) when both tables hold fewer
    /// than `limit` rows, so a run that writes hundreds of thousands of rows builds each index once at the end
    /// (`restoreLogIndexes`) instead of inserting into it row by row. Inside the run's transaction: if the run fails,
    /// the rollback restores them.
    public func suspendLogIndexes(ifFewerRowsThan limit: Int = 500_000) throws {
        guard suspendedIndexes.isEmpty else { return }
        for table in ["firings", "derivations"] {
            let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT ?)", arguments: [limit]) ?? 0
            if rows >= limit { return }
        }
        let indexes = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                       + "AND tbl_name IN ('firings', 'derivations') AND sql IS NOT NULL")
        for index in indexes {
            let name: String = index[0], sql: String = index[1]
            try db.execute(sql: "DROP INDEX \(name)")
            suspendedIndexes.append(sql)
        }
    }

    /// Re-creates the indexes `suspendLogIndexes` dropped.
    public func restoreLogIndexes() throws {
        for sql in suspendedIndexes { try db.execute(sql: sql) }
        suspendedIndexes.removeAll()
    }

    /// Appends a firing to the log, chained to the previous firing row.
    public func append(_ firing: AuditFiring) throws {
        var bindings = "{"
        for (index, name) in firing.bindings.keys.sorted().enumerated() {
            if index > 0 { bindings += "," }
            bindings += "\(KnowledgeStore.jsonString(name)):\(try termID(firing.bindings[name]!))"
        }
        bindings += "}"
        try appendEncoded(rule: firing.rule, action: firing.action, severity: firing.severity, bindings: bindings,
                          premises: try encodeTriples(firing.premises), conclusion: try encodeTriples(firing.conclusion),
                          satisfied: firing.satisfied)
    }

    /// Appends a firing whose fields are already encoded as `append` encodes them: `bindings` a JSON object from
    /// variable name (sorted) to store term id, `premises` and `conclusion` `[[s,p,o],...]` of store term ids (every
    /// id must be in `terms`, e.g. through `termID(_:)`). The fast path of materialisation, which logs one firing
    /// per derived fact.
    public func appendEncoded(rule: String, action: String, severity: String, bindings: String, premises: String,
                              conclusion: String, satisfied: Bool?) throws {
        let satisfiedText = satisfied.map { $0 ? "1" : "0" }
        let id = nextFiringID
        let hash = KnowledgeStore.chainHash(previous: previousFiringHash, fields: [
            String(id), String(runID), rule, action, severity, bindings, premises, conclusion, satisfiedText,
        ])
        insertFiring.bind(1, id)
        insertFiring.bind(2, runID)
        insertFiring.bind(3, rule)
        insertFiring.bind(4, action)
        insertFiring.bind(5, severity)
        insertFiring.bind(6, bindings)
        insertFiring.bind(7, premises)
        insertFiring.bind(8, conclusion)
        if let satisfied { insertFiring.bind(9, Int64(satisfied ? 1 : 0)) } else { insertFiring.bind(9, nil as String?) }
        insertFiring.bind(10, previousFiringHash)
        insertFiring.bind(11, hash)
        try insertFiring.run()
        previousFiringHash = hash
        nextFiringID += 1
        firingCount += 1
    }

    /// Writes the run row, chained to the previous run row.
    func finish(_ run: AuditRun) throws -> String {
        guard run.kind == "reason" || run.kind == "diagnose" else {
            throw StoreError(.sqlite, "run kind '\(run.kind)': must be 'reason' or 'diagnose'")
        }
        let previous = try String.fetchOne(db, sql: "SELECT hash FROM runs ORDER BY id DESC LIMIT 1") ?? KnowledgeStore.genesisHash
        let ontology = KnowledgeStore.encodeOntology(run.ontology)
        let hash = KnowledgeStore.chainHash(previous: previous, fields: KnowledgeStore.runFields(
            id: runID, kind: run.kind, startedAt: run.startedAt, caseSHA256: run.caseSHA256, modelSHA256: run.modelSHA256,
            ontology: ontology, rulesetSHA256: run.rulesetSHA256, output: run.output))
        try db.execute(sql: """
            INSERT INTO runs(id, kind, started_at, case_sha256, model_sha256, ontology, ruleset_sha256, output, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [runID, run.kind, run.startedAt, run.caseSHA256, run.modelSHA256, ontology, run.rulesetSHA256,
                             run.output, previous, hash])
        return hash
    }
}

extension KnowledgeStore {
    /// The `prev_hash` of the first row of each chain.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Now, as ISO 8601 UTC (`2026-11-27T16:01:02Z`).
    public static func timestamp(_ date: Date = Date()) -> String { ISO8601DateFormatter().string(from: date) }

    /// The sha256 of a text's UTF-8 bytes, as 64 hex digits.
    public static func sha256(of text: String) -> String { SHA256.hex(of: text) }

    /// A row's hash: sha256 over `previous` followed by the canonical serialisation of the fields, where each
    /// field is `N` (SQL NULL) or `S<byte count>:<UTF-8 text>`, fields joined by `|`. Length prefixes make the
    /// serialisation injective, so no two different rows serialise alike.
    static func chainHash(previous: String, fields: [String?]) -> String {
        // One buffer, one digest call: a firing is hashed per derived fact, so this runs hundreds of thousands of times.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(previous.utf8.count + fields.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 12 })
        bytes.append(contentsOf: previous.utf8)
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "|")) }
            if let field {
                bytes.append(UInt8(ascii: "S"))
                bytes.append(contentsOf: String(field.utf8.count).utf8)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: field.utf8)
            } else {
                bytes.append(UInt8(ascii: "N"))
            }
        }
        return bytes.withUnsafeBytes { SHA256.hex(of: $0) }
    }

    static func runFields(id: Int64, kind: String, startedAt: String, caseSHA256: String?, modelSHA256: String?, ontology: String,
                          rulesetSHA256: String?, output: String) -> [String?] {
        [String(id), kind, startedAt, caseSHA256, modelSHA256, ontology, rulesetSHA256, output]
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped).
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// `[{"graph":"...","sha256":"..."},...]`, in the given order.
    static func encodeOntology(_ versions: [OntologyVersion]) -> String {
        "[" + versions.map { "{\"graph\":\(jsonString($0.graph)),\"sha256\":\($0.sha256.map(jsonString) ?? "null")}" }
            .joined(separator: ",") + "]"
    }

    /// Writes one run and its firings in one transaction and returns the run id.
    ///
    /// `body` appends firings (and, for materialisation, inferred facts and derivations) through the writer and
    /// returns the run record (its output may depend on what was appended). If `body` throws, nothing is written.
    public func recordRun(_ body: (AuditRunWriter) throws -> AuditRun) throws -> Int64 {
        nonisolated(unsafe) let body = body
        return try write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let writer = try AuditRunWriter(db: db)
            let run = try body(writer)
            _ = try writer.finish(run)
            return writer.runID
        }
    }

    /// Writes one run with the given firings in one transaction (the API diagnosis runs use); returns the run id.
    @discardableResult
    public func appendRun(_ run: AuditRun, firings: [AuditFiring]) throws -> Int64 {
        try recordRun { writer in
            for firing in firings { try writer.append(firing) }
            return run
        }
    }

    /// Runs in id order, optionally one run or those started at or after `since` (an ISO 8601 prefix such as `2026-11-27`).
    public func runs(id: Int64? = nil, since: String? = nil) throws -> [StoredRun] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let id { conditions.append("id = ?"); arguments += [id] }
        if let since { conditions.append("started_at >= ?"); arguments += [since] }
        let sql = "SELECT id, kind, started_at, case_sha256, model_sha256, ontology, ruleset_sha256, output, prev_hash, hash FROM runs"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY id"
        let finalArguments = arguments
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { row in
                let ontologyText: String = row[5]
                let ontology = (try? JSONDecoder().decode([OntologyVersion].self, from: Data(ontologyText.utf8))) ?? []
                return StoredRun(id: row[0], run: AuditRun(kind: row[1], startedAt: row[2], caseSHA256: row[3], modelSHA256: row[4],
                                                           ontology: ontology, rulesetSHA256: row[6], output: row[7]),
                                 previousHash: row[8], hash: row[9])
            }
        }
    }

    /// Firings in id order, filtered by run, rule id and the run's start time (`since`, ISO 8601 prefix); at most `limit`.
    /// Terms are read back from the `terms` table.
    public func firings(run: Int64? = nil, rule: String? = nil, since: String? = nil, limit: Int = Int.max) throws -> [StoredFiring] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let run { conditions.append("f.run = ?"); arguments += [run] }
        if let rule { conditions.append("f.rule = ?"); arguments += [rule] }
        if let since { conditions.append("r.started_at >= ?"); arguments += [since] }
        arguments += [limit == Int.max ? -1 : limit]
        let sql = """
            SELECT f.id, f.run, f.rule, f.action, f.severity, f.bindings, f.premises, f.conclusion, f.satisfied, f.hash
            FROM firings f JOIN runs r ON r.id = f.run
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")) ORDER BY f.id LIMIT ?
            """
        let finalArguments = arguments
        return try read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: finalArguments)
            let decoder = TermIDDecoder(db: db)
            return try rows.map { row in
                let bindingIDs = try JSONDecoder().decode([String: Int64].self, from: Data((row[5] as String).utf8))
                var bindings: [String: Term] = [:]
                for (name, id) in bindingIDs { bindings[name] = try decoder.term(id) }
                let satisfied: Int64? = row[8]
                return StoredFiring(id: row[0], run: row[1], firing: AuditFiring(
                    rule: row[2], action: row[3], severity: row[4], bindings: bindings,
                    premises: try decoder.triples(row[6]), conclusion: try decoder.triples(row[7]),
                    satisfied: satisfied.map { $0 != 0 }), hash: row[9])
            }
        }
    }

    /// Recomputes both hash chains (runs, then firings) from the stored columns; returns the first row whose
    /// hash or link to its predecessor does not match, or `.intact`.
    public func verifyAuditLog() throws -> AuditVerification {
        try read { db in
            var previous = KnowledgeStore.genesisHash
            var runCount = 0
            let runs = try Row.fetchCursor(db, sql: """
                SELECT id, kind, started_at, case_sha256, model_sha256, ontology, ruleset_sha256, output, prev_hash, hash FROM runs ORDER BY id
                """)
            while let row = try runs.next() {
                let id: Int64 = row[0]
                let storedPrevious: String = row[8], stored: String = row[9]
                if storedPrevious != previous { return .brokenRun(id: id, reason: "prev_hash does not match the hash of the previous run") }
                let fields = KnowledgeStore.runFields(id: id, kind: row[1], startedAt: row[2], caseSHA256: row[3], modelSHA256: row[4],
                                                      ontology: row[5], rulesetSHA256: row[6], output: row[7])
                let computed = KnowledgeStore.chainHash(previous: previous, fields: fields)
                if computed != stored { return .brokenRun(id: id, reason: "hash does not match the row's contents") }
                previous = stored
                runCount += 1
            }
            previous = KnowledgeStore.genesisHash
            var firingCount = 0
            let firings = try Row.fetchCursor(db, sql: """
                SELECT id, run, rule, action, severity, bindings, premises, conclusion, satisfied, prev_hash, hash FROM firings ORDER BY id
                """)
            while let row = try firings.next() {
                let id: Int64 = row[0], run: Int64 = row[1]
                let storedPrevious: String = row[9], stored: String = row[10]
                if storedPrevious != previous { return .brokenFiring(id: id, run: run, reason: "prev_hash does not match the hash of the previous firing") }
                let satisfied: Int64? = row[8]
                let fields: [String?] = [String(id), String(run), row[2], row[3], row[4], row[5], row[6], row[7], satisfied.map(String.init)]
                if KnowledgeStore.chainHash(previous: previous, fields: fields) != stored {
                    return .brokenFiring(id: id, run: run, reason: "hash does not match the row's contents")
                }
                previous = stored
                firingCount += 1
            }
            return .intact(runs: runCount, firings: firingCount)
        }
    }
}

/// Turns store term ids back into terms, caching each.
final class TermIDDecoder {
    let db: Database
    private var cache: [Int64: Term] = [:]

    init(db: Database) { self.db = db }

    /// The term with store id `id`; throws when the id is not in `terms`.
    func term(_ id: Int64) throws -> Term {
        if let cached = cache[id] { return cached }
        guard let row = try Row.fetchOne(db, sql: "SELECT kind, value, datatype, lang FROM terms WHERE id = ?", arguments: [id]) else {
            throw StoreError(.sqlite, "term id \(id) is not in the terms table")
        }
        let term = KnowledgeStore.decodeTerm(row, 0)
        cache[id] = term
        return term
    }

    /// Decodes `[[s,p,o],...]` of term ids.
    func triples(_ text: String) throws -> [Triple] {
        let ids = try JSONDecoder().decode([[Int64]].self, from: Data(text.utf8))
        return try ids.map { triple in
            guard triple.count == 3 else { throw StoreError(.sqlite, "a premise triple has \(triple.count) terms: \(text)") }
            return Triple(try term(triple[0]), try term(triple[1]), try term(triple[2]))
        }
    }
}
