import Foundation

/// Confidence calibration: temperature scaling fitted on a validation split, and expected calibration error.
public enum Calibration {
    /// Mean negative log-likelihood of `labels` under softmax(logits/T): (1/N)·Σᵢ (logΣ_c e^(zᵢc/T) − z_{i,yᵢ}/T).
    public static func negativeLogLikelihood(logits: [[Float]], labels: [Int], temperature: Float) -> Float {
        guard !logits.isEmpty else { return 0 }
        var total: Double = 0
        for (row, label) in zip(logits, labels) {
            let scaled = row.map { Double($0 / temperature) }
            let maximum = scaled.max() ?? 0
            let logSum = maximum + Foundation.log(scaled.reduce(0) { $0 + Foundation.exp($1 - maximum) })
            total += logSum - scaled[label]
        }
        return Float(total / Double(logits.count))
    }

    /// The temperature T > 0 minimising the validation NLL of softmax(logits/T).
    ///
    /// The NLL is smooth in log T; a golden-section search over log T ∈ [log 0.05, log 20] (60 iterations,
    /// far below Float resolution) finds the minimum of this one-dimensional, in practice unimodal, function.
    public static func fitTemperature(logits: [[Float]], labels: [Int]) -> Float {
        guard !logits.isEmpty else { return 1 }
        var low = Foundation.log(0.05), high = Foundation.log(20.0)
        let ratio = (Foundation.sqrt(5.0) - 1) / 2
        func nll(_ logTemperature: Double) -> Float {
            negativeLogLikelihood(logits: logits, labels: labels, temperature: Float(Foundation.exp(logTemperature)))
        }
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = nll(a), fb = nll(b)
        for _ in 0..<60 {
            if fa < fb {
                high = b; b = a; fb = fa
                a = high - ratio * (high - low); fa = nll(a)
            } else {
                low = a; a = b; fa = fb
                b = low + ratio * (high - low); fb = nll(b)
            }
        }
        return Float(Foundation.exp((low + high) / 2))
    }

    /// Expected calibration error with `binCount` equal-width confidence bins over (0, 1].
    ///
    /// ECE = Σ_k (|B_k|/N)·|acc(B_k) − conf(B_k)|, where case i with confidence pᵢ = max_c P_ic falls in bin
    /// k = ⌈pᵢ·K⌉ − 1 (bin k covers (k/K, (k+1)/K]), acc is the fraction of correct argmax predictions and
    /// conf the mean confidence in the bin.
    public static func expectedCalibrationError(probabilities: [[Float]], labels: [Int], binCount: Int = 15) -> Float {
        guard !probabilities.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: binCount)
        var correct = [Double](repeating: 0, count: binCount)
        var confidence = [Double](repeating: 0, count: binCount)
        for (row, label) in zip(probabilities, labels) {
            let predicted = argmax(row)
            let p = Double(row[predicted])
            let bin = min(max(Int((p * Double(binCount)).rounded(.up)) - 1, 0), binCount - 1)
            counts[bin] += 1
            correct[bin] += predicted == label ? 1 : 0
            confidence[bin] += p
        }
        var error: Double = 0
        for k in 0..<binCount where counts[k] > 0 {
            error += abs(correct[k] - confidence[k]) / Double(probabilities.count)
        }
        return Float(error)
    }

    /// softmax(z/T) of each row.
    public static func probabilities(logits: [[Float]], temperature: Float) -> [[Float]] {
        logits.map { row in
            let scaled = row.map { $0 / temperature }
            let maximum = scaled.max() ?? 0
            let exponentials = scaled.map { Foundation.exp($0 - maximum) }
            let sum = exponentials.reduce(0, +)
            return exponentials.map { $0 / sum }
        }
    }
}
