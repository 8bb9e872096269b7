import Embeddings
import Foundation
import Testing

@Suite("TripleDataset")
struct TripleDatasetTests {
    @Test("UMLS loads with the published sizes")
    func loadsUMLS() throws {
        let dataset = try TripleDataset(directory: SharedData.knowledgeGraph("umls"))
        #expect(dataset.entities.count == 135)
        #expect(dataset.relations.count == 46)
        #expect(dataset.train.count == 5216)
        #expect(dataset.valid.count == 652)
        #expect(dataset.test.count == 661)
        // First line of train.txt: acquired_abnormality, location_of, experimental_model_of_disease.
        let first = dataset.names(of: dataset.train[0])
        #expect(first.head == "acquired_abnormality")
        #expect(first.relation == "location_of")
        #expect(first.tail == "experimental_model_of_disease")
        #expect(dataset.entityIndex(of: "acquired_abnormality") == 0)
        #expect(dataset.indexed(head: "alga", relation: "isa", tail: "entity") != nil)
        #expect(dataset.entityIndex(of: "no such entity") == nil)
    }

    @Test("a line with two fields is reported with its file and line")
    func malformedLine() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kgfuse-tsv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a\tr\tb\n\nb\tr\tc\n".write(to: folder.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
        try "a\tr\tc\nc\tb\n".write(to: folder.appendingPathComponent("valid.txt"), atomically: true, encoding: .utf8)
        try "a\tr\tb\n".write(to: folder.appendingPathComponent("test.txt"), atomically: true, encoding: .utf8)
        let validPath = folder.appendingPathComponent("valid.txt").path
        let error = #expect(throws: TripleDatasetError.self) { try TripleDataset(directory: folder.path) }
        #expect(error?.file == validPath)
        #expect(error?.line == 2)
        #expect(error?.message.contains("found 2") == true)
        #expect(error?.description.hasPrefix("\(validPath):2: ") == true)
    }

    @Test("an empty field and a missing file are errors with their place")
    func emptyFieldAndMissingFile() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kgfuse-tsv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let train = folder.appendingPathComponent("train.txt")
        try "a\tr\tb\r\na\t\tc\r\n".write(to: train, atomically: true, encoding: .utf8)
        let emptyField = #expect(throws: TripleDatasetError.self) {
            try TripleDataset(trainFile: train.path, validFile: train.path, testFile: train.path)
        }
        #expect(emptyField?.line == 2)
        #expect(emptyField?.message.contains("relation") == true)

        let fromDirectory = #expect(throws: TripleDatasetError.self) { try TripleDataset(directory: folder.path) }
        #expect(fromDirectory?.file == train.path)  // train.txt is read first and fails at line 2
        let elsewhere = folder.appendingPathComponent("nothing-here")
        let unreadable = #expect(throws: TripleDatasetError.self) { try TripleDataset(directory: elsewhere.path) }
        #expect(unreadable?.file == elsewhere.appendingPathComponent("train.txt").path)
        #expect(unreadable?.line == 0)
    }

    @Test("a seeded split is reproducible, disjoint, and keeps held-out names in train")
    func seededSplit() throws {
        // 30 people in a ring with two relations, plus one triple whose entity occurs nowhere else.
        var triples: [(head: String, relation: String, tail: String)] = []
        for index in 0..<30 {
            triples.append(("p\(index)", "knows", "p\((index + 1) % 30)"))
            triples.append(("p\(index)", "likes", "p\((index + 7) % 30)"))
        }
        triples.append(("p0", "knows", "loner"))
        triples.append(("p0", "knows", "p1"))  // duplicate, dropped
        let first = try TripleDataset(triples: triples, validationFraction: 0.2, testFraction: 0.2, seed: 7)
        let second = try TripleDataset(triples: triples, validationFraction: 0.2, testFraction: 0.2, seed: 7)
        let other = try TripleDataset(triples: triples, validationFraction: 0.2, testFraction: 0.2, seed: 8)
        #expect(first.train == second.train && first.valid == second.valid && first.test == second.test)
        #expect(first.entities == second.entities)
        func named(_ dataset: TripleDataset, _ list: [IndexedTriple]) -> Set<[String]> {
            Set(list.map { let n = dataset.names(of: $0); return [n.head, n.relation, n.tail] })
        }
        #expect(named(first, first.test) != named(other, other.test))
        let all = named(first, first.train).union(named(first, first.valid)).union(named(first, first.test))
        #expect(all.count == 61)
        #expect(first.train.count + first.valid.count + first.test.count == 61)
        let trainEntities = Set(first.train.flatMap { [$0.head, $0.tail] })
        for triple in first.valid + first.test {
            #expect(trainEntities.contains(triple.head) && trainEntities.contains(triple.tail))
        }
        #expect(named(first, first.train).contains(["p0", "knows", "loner"]))
        #expect(first.test.count >= 5 && first.valid.count >= 5)

        #expect(throws: TripleDatasetError.self) { try TripleDataset(triples: [], seed: 1) }
        #expect(throws: TripleDatasetError.self) {
            try TripleDataset(triples: triples, validationFraction: 0.5, testFraction: 0.5)
        }
    }

    @Test("Bernoulli corruption favours the head of one-to-many relations")
    func bernoulliProbabilities() throws {
        // hasPart: one head with four tails (tph 4, hpt 1) → 4/5; partOf: the inverse (tph 1, hpt 4) → 1/5;
        // knows: a 2-cycle (tph = hpt = 1) → 1/2.
        var triples: [(head: String, relation: String, tail: String)] = []
        for part in 0..<4 {
            triples.append(("whole", "hasPart", "part\(part)"))
            triples.append(("part\(part)", "partOf", "whole"))
        }
        triples += [("x", "knows", "y"), ("y", "knows", "x")]
        let dataset = try TripleDataset(triples: triples, validationFraction: 0, testFraction: 0)
        let bernoulli = dataset.headCorruptionProbabilities(scheme: .bernoulli)
        #expect(abs(bernoulli[try #require(dataset.relationIndex(of: "hasPart"))] - 0.8) < 1e-6)
        #expect(abs(bernoulli[try #require(dataset.relationIndex(of: "partOf"))] - 0.2) < 1e-6)
        #expect(bernoulli[try #require(dataset.relationIndex(of: "knows"))] == 0.5)
        #expect(dataset.headCorruptionProbabilities(scheme: .uniform) == [0.5, 0.5, 0.5])
    }
}
