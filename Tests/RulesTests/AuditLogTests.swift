import Foundation
import KnowledgeStore
import RDF
import Rules
import Testing

/// The audit log: runs and firings hash-chained, queried by run, rule and time, and tampering detected.
@Suite("Audit log")
struct AuditLogTests {
    typealias S = StoreReasoningSupport

    /// A store with the family ontology materialised twice (runs 1 and 2).
    func storeWithTwoRuns(_ label: String) throws -> (KnowledgeStore, Materialization, Materialization) {
        let store = try S.temporaryStore(label)
        _ = try store.loadFile(at: S.familyOntology)
        let first = try Materializer(profile: .owlRL).materialize(store)
        let second = try Materializer(profile: .rdfs).materialize(store)
        return (store, first, second)
    }

    @Test("a clean log verifies; firings come back with their bindings, premises and conclusion")
    func cleanLog() throws {
        let (store, first, second) = try storeWithTwoRuns("audit-clean")
        #expect(try store.verifyAuditLog() == .intact(runs: 2, firings: first.firings + second.firings))
        #expect(try store.firings(rule: "uncleRule").count == 2)  // the SWRL rules run under both profiles
        let uncle = try store.firings(run: first.runID, rule: "uncleRule")
        #expect(uncle.count == 1)
        let firing = try #require(uncle.first)
        #expect(firing.run == first.runID)
        #expect(firing.firing.bindings == ["p": S.fam("ann"), "x": S.fam("bob"), "u": S.fam("carl")])
        #expect(firing.firing.conclusion == [Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl"))])
        #expect(firing.firing.premises.count == 5)
        #expect(try store.firings(run: second.runID).count == second.firings)
        #expect(try store.firings(since: "2999-01-01").isEmpty)
        #expect(try store.firings(since: "2000-01-01").count == first.firings + second.firings)
        let runs = try store.runs()
        #expect(runs.map(\.id) == [first.runID, second.runID])
        #expect(runs[1].previousHash == runs[0].hash)
        #expect(runs[0].run.ontology.first?.sha256 == (try store.graphs().first?.sha256))
        #expect(runs[0].run.rulesetSHA256 != runs[1].run.rulesetSHA256)  // owl-rl vs rdfs
    }

    @Test("rows are append-only: UPDATE and DELETE are refused")
    func appendOnly() throws {
        let (store, _, _) = try storeWithTwoRuns("audit-append-only")
        let update = try S.sqlite(store.path, "UPDATE firings SET rule = 'forged' WHERE id = 3")
        #expect(update.status != 0)
        #expect(update.output.contains("append-only"))
        let delete = try S.sqlite(store.path, "DELETE FROM runs WHERE id = 1")
        #expect(delete.status != 0)
        #expect(try store.verifyAuditLog().isIntact)
    }

    @Test("an edited firing row is named as the first broken one")
    func tamperedFiring() throws {
        let (store, first, _) = try storeWithTwoRuns("audit-tamper-firing")
        let uncle = try #require(try store.firings(rule: "uncleRule").first)
        let later = uncle.id + 40
        let edit = try S.sqlite(store.path, """
            DROP TRIGGER firings_append_only_update;
            UPDATE firings SET conclusion = premises WHERE id = \(later);
            UPDATE firings SET bindings = '{"p":1}' WHERE id = \(uncle.id);
            """)
        #expect(edit.status == 0, "\(edit.output)")
        #expect(try store.verifyAuditLog() == .brokenFiring(id: uncle.id, run: first.runID, reason: "hash does not match the row's contents"))
    }

    @Test("an edited run row is named, and a re-hashed forgery breaks the link of the next run")
    func tamperedRun() throws {
        let (store, first, second) = try storeWithTwoRuns("audit-tamper-run")
        let edit = try S.sqlite(store.path, """
            DROP TRIGGER runs_append_only_update;
            UPDATE runs SET output = '{"derived":0}' WHERE id = \(second.runID);
            """)
        #expect(edit.status == 0, "\(edit.output)")
        #expect(try store.verifyAuditLog() == .brokenRun(id: second.runID, reason: "hash does not match the row's contents"))
        // A forger who also rewrites run 1's hash breaks run 2's link to it.
        let forge = try S.sqlite(store.path, "UPDATE runs SET hash = '\(String(repeating: "a", count: 64))' WHERE id = \(first.runID)")
        #expect(forge.status == 0)
        #expect(try store.verifyAuditLog() == .brokenRun(id: first.runID, reason: "hash does not match the row's contents"))
    }

    @Test("rows of the first format (JSON and hex text) still read and verify, and a new run chains after them")
    func firstFormatRows() throws {
        let store = try S.temporaryStore("audit-first-format")
        _ = try store.loadFile(at: S.familyOntology)
        // One run and one firing as the first format wrote them, hashed by the documented serialisation:
        // sha256(previous hash + fields as `S<byte count>:<text>` or `N`, joined by `|`).
        func field(_ text: String?) -> String { text.map { "S\($0.utf8.count):\($0)" } ?? "N" }
        let genesis = String(repeating: "0", count: 64)
        let started = "2026-01-01T00:00:00Z"
        let runHash = KnowledgeStore.sha256(of: genesis + ["1", "reason", started, nil, nil, "[]", nil, "{}"].map(field).joined(separator: "|"))
        let (ann, bob, carl) = (KnowledgeStore.termID(S.fam("ann")), KnowledgeStore.termID(S.fam("bob")), KnowledgeStore.termID(S.fam("carl")))
        let hasUncle = KnowledgeStore.termID(S.fam("hasUncle"))
        let bindings = "{\"u\":\(carl),\"x\":\(bob)}"
        let premises = "[[\(ann),\(hasUncle),\(bob)]]"
        let conclusion = "[[\(ann),\(hasUncle),\(carl)]]"
        let firingHash = KnowledgeStore.sha256(of: genesis + ["1", "1", "oldRule", "derive", "medium", bindings, premises, conclusion, nil]
            .map(field).joined(separator: "|"))
        let insert = try S.sqlite(store.path, """
            INSERT INTO runs(id, kind, started_at, ontology, output, prev_hash, hash) VALUES (1, 'reason', '\(started)', '[]', '{}', '\(genesis)', '\(runHash)');
            INSERT INTO firings(id, run, rule, action, severity, bindings, premises, conclusion, satisfied, prev_hash, hash)
            VALUES (1, 1, 'oldRule', 'derive', 'medium', '\(bindings)', '\(premises)', '\(conclusion)', NULL, '\(genesis)', '\(firingHash)');
            """)
        #expect(insert.status == 0, "\(insert.output)")
        #expect(try store.verifyAuditLog() == .intact(runs: 1, firings: 1))
        let old = try #require(try store.firings(run: 1).first)
        #expect(old.hash == firingHash)
        #expect(old.firing.bindings == ["u": S.fam("carl"), "x": S.fam("bob")])
        #expect(old.firing.premises == [Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("bob"))])
        #expect(old.firing.conclusion == [Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl"))])
        // A run in the compact format chains after the text rows; the whole log verifies.
        let next = try Materializer(profile: .rdfs).materialize(store)
        #expect(next.runID == 2)
        #expect(try store.verifyAuditLog() == .intact(runs: 2, firings: 1 + next.firings))
        let types = try S.sqlite(store.path, "SELECT DISTINCT typeof(premises) || ',' || typeof(hash) FROM firings WHERE run = 2")
        #expect(types.output.trimmingCharacters(in: .whitespacesAndNewlines) == "blob,blob")
        // Editing a BLOB row breaks the chain at that row.
        let edit = try S.sqlite(store.path, """
            DROP TRIGGER firings_append_only_update;
            UPDATE firings SET premises = zeroblob(24) WHERE id = 2;
            """)
        #expect(edit.status == 0, "\(edit.output)")
        #expect(try store.verifyAuditLog() == .brokenFiring(id: 2, run: 2, reason: "hash does not match the row's contents"))
    }

    @Test("diagnosis runs go through the same API, chained after reasoning runs")
    func diagnosisRun() throws {
        let (store, _, second) = try storeWithTwoRuns("audit-diagnose")
        let firing = AuditFiring(rule: "veto-race-fault", action: "veto", severity: "high",
                                 bindings: ["case": .iri(IRI("urn:case:1"))],
                                 premises: [Triple(.iri(IRI("urn:case:1")), S.fam("hasAge"), .literal(Literal("3", datatype: Vocabulary.XSD.integer)))],
                                 conclusion: [Triple(.iri(IRI("urn:case:1")), S.type, S.fam("Vetoed"))])
        let id = try store.appendRun(AuditRun(kind: "diagnose", caseSHA256: KnowledgeStore.sha256(of: "case 1"), modelSHA256: nil,
                                              ontology: [OntologyVersion(graph: "g", sha256: nil)], rulesetSHA256: nil,
                                              output: "{\"answer\":\"normal\"}"), firings: [firing])
        #expect(id == second.runID + 1)
        #expect(try store.firings(run: id).map(\.firing) == [firing])
        #expect(try store.verifyAuditLog().isIntact)
        #expect(throws: StoreError.self) {
            try store.appendRun(AuditRun(kind: "guess", ontology: [], rulesetSHA256: nil), firings: [])
        }
    }
}
