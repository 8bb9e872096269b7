import Foundation

/// A local maximum of a spectrum, located to a fraction of a bin by parabolic interpolation.
public struct SpectralPeak: Sendable, Equatable {
    /// The bin holding the local maximum.
    public var bin: Int
    /// Interpolated frequency `(bin + δ) · resolution` (Hz).
    public var frequency: Double
    /// Interpolated amplitude `exp(β − (α − γ)·δ/4)` on log amplitudes (see `Spectrum.peaks`).
    public var amplitude: Float
    /// `amplitude / median(amplitudes over bins 1 ... N/2)`: how far the peak stands above the floor.
    public var ratioToMedian: Float
}

extension Spectrum {
    /// The median amplitude over bins `1 ... N/2` (DC excluded), the floor that peak thresholds refer to.
    /// (Even count: the mean of the two middle values.) Found by quickselect, O(N) on average.
    public var medianAmplitude: Float {
        var values = Array(amplitudes.dropFirst())
        guard !values.isEmpty else { return 0 }
        let middle = values.count / 2
        let upper = Self.select(&values, rank: middle)
        guard values.count % 2 == 0 else { return upper }
        // After selection every value left of `middle` is ≤ the upper median; the lower median is their maximum.
        let lower = values[..<middle].max() ?? upper
        return (lower + upper) / 2
    }

    /// Rearranges `values` so that `values[rank]` is the value of that rank in sorted order, everything before
    /// it ≤ and everything after it ≥ (Hoare quickselect with a median-of-three pivot); returns that value.
    static func select(_ values: inout [Float], rank: Int) -> Float {
        var low = 0, high = values.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            // Median of three as pivot.
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var left = low, right = high
            while left <= right {
                while values[left] < pivot { left += 1 }
                while values[right] > pivot { right -= 1 }
                if left <= right {
                    values.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if rank <= right {
                high = right
            } else if rank >= left {
                low = left
            } else {
                break
            }
        }
        return values[rank]
    }

    /// Local maxima (`a[k−1] < a[k] ≥ a[k+1]`, bins `1 ..< N/2`) whose amplitude exceeds
    /// `thresholdFactor × medianAmplitude`, optionally only within `range` (Hz), strongest first.
    ///
    /// Parabolic interpolation through the log amplitudes (α, β, γ) = (ln a[k−1], ln a[k], ln a[k+1]):
    /// `δ = ½(α − γ)/(α − 2β + γ)` ∈ [−½, ½], amplitude `exp(β − (α − γ)·δ/4)`. On a log scale the Hann
    /// window's main lobe is close to a parabola: for a pure sinusoid under the Hann window the frequency reads
    /// within 0.02 bin and the amplitude within 4 % (worst at half-bin offset; 6.6 % on linear amplitudes).
    /// (Linear amplitudes are used if a neighbour is zero.)
    public func peaks(thresholdFactor: Float = 3, in range: ClosedRange<Double>? = nil) -> [SpectralPeak] {
        let median = medianAmplitude
        let threshold = thresholdFactor * median
        return localMaxima(in: range, median: median).filter { $0.amplitude > threshold }.sorted { $0.amplitude > $1.amplitude }
    }

    /// The strongest local maximum whose interpolated frequency lies within `tolerance` Hz of `frequency`,
    /// whatever its height (read `ratioToMedian` to judge it), or nil if there is none.
    public func peak(near frequency: Double, tolerance: Double) -> SpectralPeak? {
        peak(near: frequency, tolerance: tolerance, median: medianAmplitude)
    }

    /// `peak(near:tolerance:)` with the spectrum's median amplitude given (for callers that query one spectrum
    /// many times: the median is O(N) each time).
    public func peak(near frequency: Double, tolerance: Double, median: Float) -> SpectralPeak? {
        let window = max(0, frequency - tolerance)...(frequency + tolerance)
        return localMaxima(in: window.lowerBound - resolution...window.upperBound + resolution, median: median)
            .filter { window.contains($0.frequency) }
            .max { $0.amplitude < $1.amplitude }
    }

    /// All interpolated local maxima over bins 1 ..< N/2 (those whose bin frequency is in `range`).
    private func localMaxima(in range: ClosedRange<Double>?, median: Float) -> [SpectralPeak] {
        guard amplitudes.count >= 3 else { return [] }
        var found: [SpectralPeak] = []
        var first = 1
        var last = amplitudes.count - 2
        if let range {
            first = max(first, Int((range.lowerBound / resolution).rounded(.up)))
            last = min(last, Int((range.upperBound / resolution).rounded(.down)))
        }
        guard first <= last else { return [] }
        for bin in first...last {
            let left = amplitudes[bin - 1], center = amplitudes[bin], right = amplitudes[bin + 1]
            guard center > left && center >= right else { continue }
            let useLog = left > 0 && right > 0
            let alpha = useLog ? log(left) : left
            let beta = useLog ? log(center) : center
            let gamma = useLog ? log(right) : right
            let denominator = alpha - 2 * beta + gamma
            let offset = denominator == 0 ? 0 : 0.5 * (alpha - gamma) / denominator
            let interpolated = beta - 0.25 * (alpha - gamma) * offset
            let amplitude = useLog ? exp(interpolated) : interpolated
            found.append(SpectralPeak(bin: bin, frequency: (Double(bin) + Double(offset)) * resolution,
                                      amplitude: amplitude,
                                      ratioToMedian: median > 0 ? amplitude / median : .infinity))
        }
        return found
    }
}
