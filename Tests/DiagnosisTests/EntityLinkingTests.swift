import Diagnosis
import Foundation
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// The KG-token scalar of a linked peak on real CWRU recordings: ln(prominence over the strongest other
/// characteristic frequency of the same bearing), which keeps its value when the motor load changes.
@Suite("Industrial QA entity linking", .serialized)
struct EntityLinkingTests {
    static let pack = PackFiles(name: IndustrialQA.name, root: TestPaths.repositoryRoot)

    /// The pack's case builder over a fresh store.
    static func builder() throws -> BearingCaseBuilder {
        let folder = TestPaths.temporaryDirectory("entity-linking")
        let store = try KnowledgeStore(path: folder.appendingPathComponent("store.sqlite").path)
        try pack.ensureLoaded(in: store)
        return BearingCaseBuilder(knowledge: try IndustrialQAKnowledge(store: store, graphIRI: pack.graphIRI))
    }

    /// The middle 1 s window of `record` in ../shared/data/cwru, prepared by `builder`, and the recording's rpm.
    static func middleWindow(_ record: String, builder: BearingCaseBuilder) throws -> (PreparedBearingCase, Double)? {
        let dataset = try BearingDataset(folder: TestPaths.sharedFile("data/cwru").path)
        guard let recording = dataset.recordings.first(where: { $0.name == record }) else { return nil }
        let windows = BearingCaseBuilder.windows(try dataset.signals(recording), sampleRate: recording.sampleRate,
                                                 hop: BearingFeatures.windowLength / 2)
        let middle = windows[windows.count / 2]
        return (builder.prepare(window: middle, rpm: recording.rpm, label: recording.classIndex), recording.rpm)
    }

    /// The drive-end BPFI links (scalar, prominence) of every window of `record`.
    static func bpfiLinks(_ record: String, builder: BearingCaseBuilder) throws -> [(scalar: Float, prominence: Double)] {
        let dataset = try BearingDataset(folder: TestPaths.sharedFile("data/cwru").path)
        let recording = try #require(dataset.recordings.first { $0.name == record })
        let bpfi = IndustrialQA.iri("driveEndBPFI").value
        return BearingCaseBuilder.windows(try dataset.signals(recording), sampleRate: recording.sampleRate,
                                          hop: BearingFeatures.windowLength / 2).compactMap { window in
            builder.prepare(window: window, rpm: recording.rpm, label: nil).links.first { $0.entity == bpfi }
                .map { ($0.scalar, $0.peakRatio ?? 0) }
        }
    }

    @Test("a peak's scalar is ln(its prominence / the strongest prominence at the bearing's other evidencing frequencies)")
    func scalarFormula() throws {
        let builder = try Self.builder()
        let (prepared, rpm) = try #require(try Self.middleWindow("X170", builder: builder))
        let peaks = prepared.links.filter { $0.kind == .peak }
        #expect(!peaks.isEmpty)
        for link in peaks {
            let frequency = try #require(builder.knowledge.evidencingFrequencies.first { $0.iri.value == link.entity })
            let sensor = try #require(builder.knowledge.sensor(on: frequency.bearing))
            var strongestOther = 1.0
            for other in builder.knowledge.evidencingFrequencies where other.bearing == frequency.bearing && other.iri != frequency.iri {
                if let prominence = prepared.evidence.strongestPeak(sensor: sensor, near: other.hertz(rpm: rpm),
                                                                    tolerance: IndustrialQA.frequencyTolerance) {
                    strongestOther = max(strongestOther, prominence)
                }
            }
            let ratio = try #require(link.peakRatio)
            #expect(abs(Double(link.scalar) - log(ratio / strongestOther)) < 1e-5)
        }
        // Equipment links carry no scalar.
        #expect(prepared.links.filter { $0.kind == .equipment }.allSatisfy { $0.scalar == 0 })
    }

    @Test("the 14 mil inner-race fault's BPFI scalar moves less from load 0 to load 1 than ln(prominence); an outer-race fault's is negative")
    func scalarAcrossLoads() throws {
        let builder = try Self.builder()
        let loadZero = try Self.bpfiLinks("X169", builder: builder)
        let loadOne = try Self.bpfiLinks("X170", builder: builder)
        let outerRace = try Self.bpfiLinks("X130", builder: builder)
        #expect(loadZero.count >= 15 && loadOne.count >= 15 && outerRace.count >= 15)
        // Prominence falls from ~26 to ~18 between the loads, but BPFI still stands ≥ 2.5× over BPFO and 2×BSF.
        #expect(loadZero.allSatisfy { $0.scalar > log(2.5) } && loadOne.allSatisfy { $0.scalar > log(2.5) })
        // The scalar moves less between the loads than ln(prominence) does.
        let mean = { (values: [Double]) in values.reduce(0, +) / Double(values.count) }
        let scalarShift = abs(mean(loadZero.map { Double($0.scalar) }) - mean(loadOne.map { Double($0.scalar) }))
        let prominenceShift = abs(mean(loadZero.map { log($0.prominence) }) - mean(loadOne.map { log($0.prominence) }))
        #expect(scalarShift < prominenceShift)
        // At an outer-race fault the BPFI side peak stands below the BPFO peak.
        #expect(outerRace.allSatisfy { $0.scalar < 0 })
    }
}
