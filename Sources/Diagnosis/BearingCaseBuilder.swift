import Foundation
import Fusion
import RDF
import Signals

/// A knowledge-graph entity linked to a case, as the explanation shows it.
public struct EntityLink: Sendable, Equatable, Codable {
    /// Why the entity is linked.
    public enum Kind: String, Sendable, Codable {
        /// An envelope peak matched the entity's characteristic frequency.
        case peak
        /// The case names the equipment (a bearing whose sensor gave a signal).
        case equipment
    }
    /// The entity's IRI.
    public var entity: String
    /// Why it is linked.
    public var kind: Kind
    /// The KG token's scalar: for a peak, ln(prominence / strongest prominence at the bearing's other evidencing
    /// frequencies, at least 1) (see `BearingCaseBuilder`); 0 for equipment.
    public var scalar: Float
    /// The characteristic frequency at the case's shaft speed (Hz), for a peak.
    public var expectedHz: Double?
    /// The matched peak's frequency (Hz), for a peak.
    public var peakHz: Double?
    /// The peak's prominence (amplitude over the local floor of the envelope spectrum), for a peak.
    public var peakRatio: Double?
    /// The sensor whose spectrum showed the peak.
    public var sensor: String?
}

/// One window of a case, ready for the model and the rules.
public struct PreparedBearingCase: Sendable {
    /// The fusion model's input.
    public var fusionCase: FusionCase
    /// The envelope spectra the rules read.
    public var evidence: BearingEvidence
    /// The linked entities, in KG-slot order.
    public var links: [EntityLink]
}

/// Turns a window of accelerometer signals into a fusion case: features per modality, and KG tokens for the
/// entities the case links to.
///
/// Linking (issue: "detected spectral peaks that match a characteristic frequency become linked KG entities"): for
/// every characteristic frequency f that evidences a diagnosis class, the sensor placed on f's bearing is read at
/// hz = rpm/60 × multiplier(f); when its envelope spectrum has a local maximum within ±`IndustrialQA.frequencyTolerance`
/// of hz whose prominence (`BearingEvidence`) is at least `IndustrialQA.evidenceThreshold` (the same test the rules'
/// evidence rule makes), f is linked with scalar s = ln(p_f / max(1, max_g p_g)), g the bearing's other evidencing
/// frequencies read in the same spectrum: how far f stands out over the bearing's other fault frequencies. A ratio of
/// two prominences of one envelope spectrum, so what moves every peak together cancels: on CWRU the drive-end BPFI
/// of a 14 mil inner-race fault falls from prominence ~26 at motor load 0 to ~18 at load 1, between the training
/// inner-race faults (22–78) and the BPFI side peaks of outer-race faults (8–13), while its margin over BPFO and 2×BSF
/// stays ln 2.9–6.5 at both loads (outer-race faults: BPFI −2.5 to −0.8). This is the comparison the rules' within-bearing
/// veto makes. Frequencies within the tolerance of a shaft
/// harmonic are not linked (a peak there may be the shaft's own modulation; on CWRU the fan-end BPFO and 2×BSF,
/// 3.05× and 3.99× shaft speed, stand at prominence ~10 in most windows whatever the fault). Every monitored bearing
/// whose sensor gave a signal is linked as equipment (scalar 0). KG table rows: `entities` (frequencies, bearings,
/// then the diagnosis classes, whose rows serve the retrieval head).
public struct BearingCaseBuilder: Sendable {

    /// The pack's facts.
    public let knowledge: IndustrialQAKnowledge
    /// KG table rows, by IRI.
    public let entities: [IRI]
    private let rows: [IRI: Int]

    /// Builds the table rows from the ontology: evidencing frequencies, monitored bearings, diagnosis classes.
    public init(knowledge: IndustrialQAKnowledge) {
        self.init(knowledge: knowledge,
                  entities: knowledge.evidencingFrequencies.map(\.iri) + knowledge.monitoredBearings + IndustrialQA.classes)
    }

    /// Uses the table rows a trained model was built with.
    public init(knowledge: IndustrialQAKnowledge, entities: [IRI]) {
        self.knowledge = knowledge
        self.entities = entities
        rows = Dictionary(entities.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The KG slots a model needs: one per evidencing frequency and monitored bearing.
    public var slotCount: Int { knowledge.evidencingFrequencies.count + knowledge.monitoredBearings.count }

    /// The rows of the diagnosis classes, in class order.
    public var classRows: [Int] { IndustrialQA.classes.compactMap { rows[$0] } }

    /// Prepares one window: `window` maps channel names (DE, FE, BA) to `BearingFeatures.windowLength` samples at
    /// `BearingFeatures.sampleRate`.
    public func prepare(window: [String: [Float]], rpm: Double, label: Int?, group: String = "") -> PreparedBearingCase {
        var sensorSignals: [IRI: [Float]] = [:]
        for (channel, sensor) in IndustrialQA.sensors {
            // Only sensors on a monitored bearing can evidence a frequency; the base plate's is not needed.
            if let samples = window[channel], let bearing = knowledge.sensorPlacement[sensor],
               knowledge.monitoredBearings.contains(bearing) {
                sensorSignals[sensor] = samples
            }
        }
        let evidence = BearingEvidence(signals: sensorSignals, sampleRate: Double(BearingFeatures.sampleRate))
        var links: [EntityLink] = []
        for frequency in knowledge.evidencingFrequencies where IndustrialQA.isDistinctFromShaftHarmonics(multiplier: frequency.shaftMultiplier) {
            guard let sensor = knowledge.sensor(on: frequency.bearing), sensorSignals[sensor] != nil else { continue }
            let hz = frequency.hertz(rpm: rpm)
            guard let peak = evidence.peak(sensor: sensor, near: hz, tolerance: IndustrialQA.frequencyTolerance),
                  let ratio = evidence.strongestPeak(sensor: sensor, near: hz, tolerance: IndustrialQA.frequencyTolerance),
                  ratio >= IndustrialQA.evidenceThreshold else { continue }
            var strongestOther = 1.0
            for other in knowledge.evidencingFrequencies where other.bearing == frequency.bearing && other.iri != frequency.iri {
                if let prominence = evidence.strongestPeak(sensor: sensor, near: other.hertz(rpm: rpm), tolerance: IndustrialQA.frequencyTolerance) {
                    strongestOther = max(strongestOther, prominence)
                }
            }
            links.append(EntityLink(entity: frequency.iri.value, kind: .peak, scalar: Float(log(ratio / strongestOther)), expectedHz: hz,
                                    peakHz: peak.frequency, peakRatio: ratio, sensor: sensor.value))
        }
        for bearing in knowledge.monitoredBearings {
            guard let sensor = knowledge.sensor(on: bearing), sensorSignals[sensor] != nil else { continue }
            links.append(EntityLink(entity: bearing.value, kind: .equipment, scalar: 0, sensor: sensor.value))
        }
        let linked = links.compactMap { link in rows[IRI(link.entity)].map { LinkedEntity(index: $0, scalar: link.scalar) } }
        let fusionCase = FusionCase(modalities: BearingFeatures.modalityFeatures(window), entities: linked, label: label, group: group)
        return PreparedBearingCase(fusionCase: fusionCase, evidence: evidence, links: links)
    }

    /// Cuts `signals` (channel → samples at `sampleRate`) into windows of `BearingFeatures.windowLength` samples
    /// starting every `hop` samples within `fraction` of the common length, resampling to the features' rate first.
    public static func windows(_ signals: [String: [Float]], sampleRate: Int, hop: Int,
                               fraction: Range<Double> = 0..<1) -> [[String: [Float]]] {
        var resampled = signals
        if sampleRate != BearingFeatures.sampleRate {
            let resampler = Resampler(from: sampleRate, to: BearingFeatures.sampleRate)
            resampled = signals.mapValues { resampler.resample($0) }
        }
        let total = resampled.values.map(\.count).min() ?? 0
        let first = Int(fraction.lowerBound * Double(total))
        let last = Int(fraction.upperBound * Double(total)) - BearingFeatures.windowLength
        guard last >= first else { return [] }
        return stride(from: first, through: last, by: max(hop, 1)).map { start in
            resampled.mapValues { Array($0[start..<(start + BearingFeatures.windowLength)]) }
        }
    }
}
