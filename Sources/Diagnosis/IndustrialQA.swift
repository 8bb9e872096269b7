import Foundation
import RDF
import Rules

/// The industrial QA pack: the CWRU bearing test rig, its seven diagnosis classes, and its rule built-ins.
///
/// Files: `Ontologies/industrial-qa.owl` (the rig, bearings, fault modes, characteristic frequencies, sensors) and
/// `Ontologies/industrial-qa.rules` (the post-check). The classes' order is the classifier's output order.
public enum IndustrialQA {
    /// The pack's namespace.
    public static let namespace = "https://w3id.org/kgfuse/industrial-qa#"
    /// The pack's name on the command line.
    public static let name = "industrial-qa"

    /// An IRI in the pack's namespace.
    public static func iri(_ local: String) -> IRI { IRI(namespace + local) }

    /// The diagnosis classes, in the classifier's output order.
    public static let classes: [IRI] = [
        "Normal", "DriveEndInnerRaceFault", "DriveEndOuterRaceFault", "DriveEndBallFault",
        "FanEndInnerRaceFault", "FanEndOuterRaceFault", "FanEndBallFault",
    ].map(iri)

    /// The sensors, keyed by the channel names of the CWRU recordings.
    public static let sensors: [String: IRI] = ["DE": iri("sensorDE"), "FE": iri("sensorFE"), "BA": iri("sensorBA")]

    /// The relative tolerance within which an envelope peak matches a characteristic frequency (±4 %): the
    /// recorded rpm is nominal and slip moves the fault frequencies by a few per cent.
    public static let frequencyTolerance = 0.04

    /// The prominence (peak over local floor, see `BearingEvidence`) from which a peak counts as evidence, in the
    /// rules (`industrial-qa.rules` states the same number) and for entity linking. Chosen on the load-0 recordings:
    /// below it lie 90 % or more of the windows at frequencies without their fault.
    public static let evidenceThreshold = 8.0

    /// True when a characteristic frequency (multiplier m of the shaft speed) is told apart from every shaft harmonic
    /// at the pack's tolerance: |m − round(m)| > tolerance·m. A peak at a frequency that is not may be the shaft's
    /// own modulation (the fan-end 2×BSF is 3.99× shaft speed), so the rules do not let it veto.
    public static func isDistinctFromShaftHarmonics(multiplier: Double) -> Bool {
        abs(multiplier - multiplier.rounded()) > frequencyTolerance * multiplier
    }

    /// The diagnosis class of a CWRU manifest row: `label` (normal, inner_race, outer_race with an optional
    /// load-zone suffix such as outer_race_at6, ball) and `fault_end` (drive_end, fan_end); nil for an unknown
    /// combination.
    public static func diagnosisClass(label: String, faultEnd: String) -> IRI? {
        if label == "normal" { return classes[0] }
        let kind: String
        if label == "inner_race" { kind = "InnerRaceFault" }
        else if label == "outer_race" || label.hasPrefix("outer_race_at") { kind = "OuterRaceFault" }
        else if label == "ball" { kind = "BallFault" }
        else { return nil }
        switch faultEnd {
        case "drive_end": return iri("DriveEnd" + kind)
        case "fan_end": return iri("FanEnd" + kind)
        default: return nil
        }
    }

    /// Registers the pack's built-ins: `iqa:faultFrequency(?hz, ?rpm, ?multiplier)` (?hz = rpm / 60 × multiplier),
    /// `iqa:envelopePeak(?prominence, ?sensor, ?hz)` (the strongest envelope peak of that sensor near ?hz, read from
    /// `evidence`, which the pipeline points at the case being diagnosed) and the test
    /// `iqa:distinctFromShaftHarmonics(?multiplier)` (see `isDistinctFromShaftHarmonics`).
    public static func registerBuiltIns(in registry: BuiltInRegistry, evidence: CaseEvidence) {
        registry.declare(prefix: "iqa", namespace: namespace)
        // Function built-ins receive their inputs (SWRL arguments 2...n) and return argument 1.
        registry.registerFunction("iqa:faultFrequency") { inputs in
            guard inputs.count == 2, let rpm = number(inputs[0]), let multiplier = number(inputs[1]) else { return nil }
            return .literal(Literal(String(rpm / 60 * multiplier), datatype: Vocabulary.XSD.double))
        }
        registry.registerFunction("iqa:envelopePeak") { inputs in
            guard inputs.count == 2, case .iri(let sensor) = inputs[0], let hz = number(inputs[1]),
                  let amplitude = evidence.strongestPeak(sensor: sensor, near: hz, tolerance: frequencyTolerance) else { return nil }
            return .literal(Literal(String(amplitude), datatype: Vocabulary.XSD.double))
        }
        registry.register("iqa:distinctFromShaftHarmonics") { arguments in
            guard arguments.count == 1, let multiplier = number(arguments[0]) else { return false }
            return isDistinctFromShaftHarmonics(multiplier: multiplier)
        }
    }

    /// The numeric value of a literal, or nil.
    static func number(_ term: Term) -> Double? {
        guard case .literal(let literal) = term else { return nil }
        return Double(literal.lexicalForm)
    }
}

/// The spectral evidence of the case being diagnosed, as the pack's built-ins read it.
public protocol EnvelopeEvidence: Sendable {
    /// The prominence of the strongest envelope-spectrum peak of `sensor` within `tolerance` (relative) of `hz`: its
    /// amplitude over the spectrum's local floor; nil when the sensor has no signal or no peak there.
    func strongestPeak(sensor: IRI, near hz: Double, tolerance: Double) -> Double?
}

/// A holder for the current case's evidence, so built-ins registered once serve every case in turn.
public final class CaseEvidence: @unchecked Sendable {
    private let lock = NSLock()
    private var current: (any EnvelopeEvidence)?

    /// An empty holder (every envelope-peak query fails until a case is set).
    public init() {}

    /// Points the built-ins at a case's evidence (nil: none).
    public func set(_ evidence: (any EnvelopeEvidence)?) {
        lock.lock(); defer { lock.unlock() }
        current = evidence
    }

    /// Forwards to the current case's evidence.
    public func strongestPeak(sensor: IRI, near hz: Double, tolerance: Double) -> Double? {
        lock.lock(); let evidence = current; lock.unlock()
        return evidence?.strongestPeak(sensor: sensor, near: hz, tolerance: tolerance)
    }
}
