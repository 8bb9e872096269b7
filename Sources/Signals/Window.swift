import Foundation

/// A tapering window applied to a frame before its Fourier transform.
public enum Window: Sendable, Equatable {
    /// No taper: `w[n] = 1`.
    case rectangular
    /// Periodic Hann (what `scipy.signal.get_window('hann', N)` and librosa use): `w[n] = 0.5 − 0.5·cos(2πn/N)`.
    case hann
    /// Periodic Hamming: `w[n] = 0.54 − 0.46·cos(2πn/N)`.
    case hamming

    /// The N window coefficients, computed in Double and rounded to Float.
    public func coefficients(length: Int) -> [Float] {
        precondition(length > 0, "window length must be positive")
        return (0..<length).map { index in
            let phase = 2 * Double.pi * Double(index) / Double(length)
            switch self {
            case .rectangular: return 1
            case .hann: return Float(0.5 - 0.5 * cos(phase))
            case .hamming: return Float(0.54 - 0.46 * cos(phase))
            }
        }
    }
}

/// Window coefficients computed once per (window, length) and shared; guarded by a lock.
final class WindowCache: @unchecked Sendable {
    static let shared = WindowCache()

    private struct Key: Hashable {
        var window: String
        var length: Int
    }

    private let lock = NSLock()
    private var cache: [Key: [Float]] = [:]

    /// `window.coefficients(length:)`, from the cache when it was computed before.
    func coefficients(_ window: Window, length: Int) -> [Float] {
        let key = Key(window: "\(window)", length: length)
        lock.lock()
        if let cached = cache[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let computed = window.coefficients(length: length)
        lock.lock()
        if cache.count > 64 { cache.removeAll() }
        cache[key] = computed
        lock.unlock()
        return computed
    }
}
