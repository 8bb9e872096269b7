import Diagnosis
import Foundation
import Fusion
import Signals
import TestSupport

/// Fusion cases cut from the CWRU bearing recordings in `../shared/data/cwru`.
///
/// Classes (7): normal, and inner race, outer race or ball fault in the drive-end or fan-end bearing, from
/// manifest.csv's `label` and `fault_end`. Each window of `windowLength` samples (12 kHz) gives one case:
/// - `drive_end`, `fan_end`: 16 STFT frames (n_fft 1024, hop (windowLength − 1024)/15, Hann, magnitude²) as tokens, each the
///   log10 power of 32 bands of 16 bins (0–6 kHz) plus the frame's log10 total power: [16, 33];
/// - `spectrogram`: the base accelerometer's power spectrogram (n_fft 256, hop (windowLength − 256)/31) in dB, as a
///   min–max scaled image resized to 32×32, cut into 16 patches of 8×8: [16, 64]; missing for normal (no BA);
/// - KG tokens: for each bearing and each of BPFI, BPFO, BSF, the envelope spectrum of that bearing's channel
///   (band 1–5.5 kHz) is searched within ±2 % of the characteristic frequency (and of 2·BSF for BSF); the
///   entity is linked when the strongest local maximum there stands more than 4× above the spectrum's median,
///   with scalar ln(ratio). Entity rows 0–5: DE BPFI, DE BPFO, DE BSF, FE BPFI, FE BPFO, FE BSF; rows 6–12
///   the seven class entities. The table vectors are seeded random, not from a trained KG embedding model.
struct BearingCases {
    static let classNames = ["normal", "drive_end_inner_race", "drive_end_outer_race", "drive_end_ball",
                             "fan_end_inner_race", "fan_end_outer_race", "fan_end_ball"]
    static let entityNames = ["drive_end_bpfi", "drive_end_bpfo", "drive_end_bsf",
                              "fan_end_bpfi", "fan_end_bpfo", "fan_end_bsf"] + classNames
    static let sampleRate = 12_000
    static let frameTokens = 16, bandCount = 32
    static let patchSize = 8, imageSize = 32

    struct Recording {
        var name: String
        var label: Int
        var load: Int
        var rpm: Double
        var hasBaseChannel: Bool
    }

    /// The bearing defect multipliers (× shaft frequency): (BPFI, BPFO, BSF) for drive end and fan end.
    let multipliers: [(bpfi: Double, bpfo: Double, bsf: Double)]
    let recordings: [Recording]
    let folder: URL

    init() throws {
        folder = TestPaths.sharedFile("data/cwru")
        // The pack's reader: class indices follow `IndustrialQA.classes`, which is `classNames` in the same order.
        recordings = try BearingDataset(folder: folder.path).recordings.map {
            Recording(name: $0.name, label: $0.classIndex, load: $0.motorLoad, rpm: $0.rpm, hasBaseChannel: $0.channels.contains("BA"))
        }
        let facts = try String(contentsOf: folder.appendingPathComponent("bearing_facts.csv"), encoding: .utf8)
        var factRows = facts.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init).map { $0.split(separator: ",").map(String.init) }
        let factHeader = factRows.removeFirst()
        guard let bpfi = factHeader.firstIndex(of: "bpfi_x_shaft"), let bpfo = factHeader.firstIndex(of: "bpfo_x_shaft"),
              let rolling = factHeader.firstIndex(of: "rolling_element_x_shaft") else {
            throw FusionError(message: "bearing_facts.csv: missing multiplier columns")
        }
        multipliers = ["drive_end", "fan_end"].map { position in
            let row = factRows.first { $0.first == position }!
            // rolling_element_x_shaft is 2·BSF (SOURCE.txt).
            return (Double(row[bpfi])!, Double(row[bpfo])!, Double(row[rolling])! / 2)
        }
    }

    func channel(_ recording: Recording, _ name: String) throws -> [Float] {
        try AudioSignal.readRawFloat32(from: folder.appendingPathComponent("signals/\(recording.name)_\(name).f32"),
                                       sampleRate: BearingCases.sampleRate).channels[0]
    }

    /// Cases from the windows of `recording` whose start lies in `fraction` of the recording, every `hop` samples.
    func cases(_ recording: Recording, windowLength: Int, hop: Int, fraction: Range<Double> = 0..<1) throws -> [FusionCase] {
        let driveEnd = try channel(recording, "DE"), fanEnd = try channel(recording, "FE")
        let base = recording.hasBaseChannel ? try channel(recording, "BA") : nil
        let total = min(driveEnd.count, fanEnd.count, base?.count ?? Int.max)
        let first = Int(fraction.lowerBound * Double(total))
        let last = Int(fraction.upperBound * Double(total)) - windowLength
        var result: [FusionCase] = []
        var start = first
        while start <= last {
            let range = start..<(start + windowLength)
            let entities = linkedEntities(driveEnd: Array(driveEnd[range]), fanEnd: Array(fanEnd[range]), rpm: recording.rpm)
            result.append(FusionCase(modalities: [frameTokens(Array(driveEnd[range])), frameTokens(Array(fanEnd[range])),
                                                  base.map { spectrogramPatches(Array($0[range])) }],
                                     entities: entities, label: recording.label, group: recording.name))
            start += hop
        }
        return result
    }

    /// [16, 33]: per STFT frame, log10 power in 32 bands (the pack's features, `BearingFeatures`).
    func frameTokens(_ samples: [Float]) -> [Float] { BearingFeatures.frameTokens(samples) }

    /// [16, 64]: the base accelerometer's dB spectrogram as a 32×32 image in 8×8 patches (`BearingFeatures`).
    func spectrogramPatches(_ samples: [Float]) -> [Float] { BearingFeatures.spectrogramPatches(samples) }

    /// KG entity links for detected envelope-spectrum peaks near each bearing's defect frequencies.
    func linkedEntities(driveEnd: [Float], fanEnd: [Float], rpm: Double) -> [LinkedEntity] {
        let shaft = rpm / 60
        var links: [LinkedEntity] = []
        for (position, samples) in [driveEnd, fanEnd].enumerated() {
            let envelope = Envelope.spectrum(of: samples, sampleRate: Double(BearingCases.sampleRate), band: 1000...5500)
            let median = envelope.medianAmplitude
            let (bpfi, bpfo, bsf) = multipliers[position]
            for (kind, harmonics) in [[bpfi], [bpfo], [bsf, 2 * bsf]].enumerated() {
                let ratio = harmonics.compactMap { multiplier -> Float? in
                    let frequency = multiplier * shaft
                    return envelope.peak(near: frequency, tolerance: 0.02 * frequency).map { $0.amplitude / max(median, 1e-12) }
                }.max() ?? 0
                if ratio > 4 { links.append(LinkedEntity(index: position * 3 + kind, scalar: logf(ratio))) }
            }
        }
        return links
    }
}
