import Foundation
import KnowledgeStore
import RDF

/// A characteristic fault frequency of one bearing, as the pack's ontology states it.
public struct CharacteristicFrequency: Sendable, Equatable {
    /// The frequency's individual, e.g. `iqa:driveEndBPFI`.
    public var iri: IRI
    /// Its kind: `iqa:BPFI`, `iqa:BPFO`, `iqa:BSF` or `iqa:FTF`.
    public var kind: IRI
    /// The bearing it belongs to.
    public var bearing: IRI
    /// f = rpm / 60 × multiplier (Hz).
    public var shaftMultiplier: Double

    /// The frequency in Hz at `rpm`: rpm / 60 × multiplier.
    public func hertz(rpm: Double) -> Double { rpm / 60 * shaftMultiplier }
}

/// What the diagnosis pipeline reads from the pack's ontology: the characteristic frequencies, where each sensor
/// sits, which frequency evidences each diagnosis class, and labels.
///
/// Read from the ontology's triples (a file or a store graph), so a changed ontology changes the pipeline's
/// physics; nothing here is hard-coded except the vocabulary's names.
public struct IndustrialQAKnowledge: Sendable {
    /// Every characteristic frequency, sorted by IRI.
    public let frequencies: [CharacteristicFrequency]
    /// The bearing (or base) each sensor is placed on, from `iqa:placedOn`.
    public let sensorPlacement: [IRI: IRI]
    /// The characteristic frequency that evidences each fault class, from `iqa:evidencedBy`.
    public let classEvidence: [IRI: IRI]
    /// `rdfs:label` of every labelled IRI.
    public let labels: [IRI: String]
    /// The frequencies that evidence some diagnosis class (the ones a peak can link), sorted by IRI.
    public let evidencingFrequencies: [CharacteristicFrequency]
    /// The bearings that carry a sensor, sorted by IRI (the equipment a case names through its signals).
    public let monitoredBearings: [IRI]
    /// The sensor placed on each bearing (the first by IRI when several are).
    private let sensorByBearing: [IRI: IRI]

    /// Reads the pack's facts from `triples`; fails naming what is missing.
    public init(triples: [Triple]) throws {
        let type = Vocabulary.RDF.type, label = Vocabulary.RDFS.label
        var kinds: [IRI: IRI] = [:], bearings: [IRI: IRI] = [:], multipliers: [IRI: Double] = [:]
        var placement: [IRI: IRI] = [:], evidence: [IRI: IRI] = [:], labels: [IRI: String] = [:]
        let frequencyKinds = Set(["BPFI", "BPFO", "BSF", "FTF"].map(IndustrialQA.iri))
        for triple in triples {
            guard case .iri(let subject) = triple.subject, case .iri(let predicate) = triple.predicate else { continue }
            switch (predicate, triple.object) {
            case (type, .iri(let object)) where frequencyKinds.contains(object): kinds[subject] = object
            case (IndustrialQA.iri("frequencyOfBearing"), .iri(let object)): bearings[subject] = object
            case (IndustrialQA.iri("shaftMultiplier"), .literal(let literal)): multipliers[subject] = Double(literal.lexicalForm)
            case (IndustrialQA.iri("placedOn"), .iri(let object)): placement[subject] = object
            case (IndustrialQA.iri("evidencedBy"), .iri(let object)): evidence[subject] = object
            case (label, .literal(let literal)) where labels[subject] == nil || literal.language == "en": labels[subject] = literal.lexicalForm
            default: break
            }
        }
        var frequencies: [CharacteristicFrequency] = []
        for (iri, kind) in kinds {
            guard let bearing = bearings[iri] else { throw DiagnosisError("ontology: \(iri) has no iqa:frequencyOfBearing") }
            guard let multiplier = multipliers[iri], multiplier > 0 else {
                throw DiagnosisError("ontology: \(iri) has no positive iqa:shaftMultiplier")
            }
            frequencies.append(CharacteristicFrequency(iri: iri, kind: kind, bearing: bearing, shaftMultiplier: multiplier))
        }
        guard !frequencies.isEmpty else {
            throw DiagnosisError("ontology: no characteristic frequencies (is this the \(IndustrialQA.name) ontology?)")
        }
        for (fault, frequency) in evidence where !kinds.keys.contains(frequency) {
            throw DiagnosisError("ontology: \(fault) is evidenced by \(frequency), which is not a characteristic frequency")
        }
        for sensor in IndustrialQA.sensors.values where placement[sensor] == nil {
            throw DiagnosisError("ontology: sensor \(sensor) has no iqa:placedOn")
        }
        self.frequencies = frequencies.sorted { $0.iri.value < $1.iri.value }
        sensorPlacement = placement
        classEvidence = evidence
        self.labels = labels
        let used = Set(evidence.values)
        evidencingFrequencies = self.frequencies.filter { used.contains($0.iri) }
        let frequencyBearings = Set(frequencies.map(\.bearing))
        monitoredBearings = Set(placement.values).filter(frequencyBearings.contains).sorted { $0.value < $1.value }
        var sensorByBearing: [IRI: IRI] = [:]
        for (sensor, bearing) in placement.sorted(by: { $0.key.value < $1.key.value }) where sensorByBearing[bearing] == nil {
            sensorByBearing[bearing] = sensor
        }
        self.sensorByBearing = sensorByBearing
    }

    /// Reads the pack's ontology from an RDF/XML file.
    public init(ontologyFile path: String) throws {
        var triples: [Triple] = []
        try RDFXMLParser(documentName: path).parse(fileAt: path) { triples.append($0) }
        try self.init(triples: triples)
    }

    /// Reads the pack's graph from a store.
    public init(store: KnowledgeStore, graphIRI: String) throws {
        let box = TripleBox()
        try store.forEachTriple(graphIRI: graphIRI, includeInferred: false) { box.append($0) }
        try self.init(triples: box.triples)
    }

    /// The sensor placed on `bearing`, if any.
    public func sensor(on bearing: IRI) -> IRI? { sensorByBearing[bearing] }

    /// A label for `iri`: its rdfs:label, else its local name.
    public func label(_ iri: IRI) -> String {
        labels[iri] ?? String(iri.value.split(whereSeparator: { $0 == "#" || $0 == "/" }).last ?? Substring(iri.value))
    }
}

/// Collects triples handed over one at a time by the store's reader.
final class TripleBox: @unchecked Sendable {
    private(set) var triples: [Triple] = []
    func append(_ triple: Triple) { triples.append(triple) }
}
