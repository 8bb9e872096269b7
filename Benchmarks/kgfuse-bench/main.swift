import Foundation
import KnowledgeStore

let args = CommandLine.arguments
let path = args.count > 1 ? args[1] : "/tmp/hp.nt"
let db = "/tmp/bench-\(getpid()).sqlite"
let t0 = Date()
let store = try KnowledgeStore(path: db)
let s = try store.loadFile(at: path)
print("triples \(s.triples) terms \(s.terms) store \(s.storeSeconds) total \(Date().timeIntervalSince(t0))")
