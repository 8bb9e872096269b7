/// A fixed-size, zero-initialised Float32 buffer owned by reference, shared read-only (or by disjoint rows) across
/// worker threads: the storage of parameters, moments and per-thread gradients.
final class FloatStorage: @unchecked Sendable {
    /// Number of floats.
    let count: Int
    /// The first float; valid for `count` floats until the storage is released.
    let pointer: UnsafeMutablePointer<Float>

    /// `count` zeros.
    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// A copy of `values`.
    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    /// The contents as an array.
    var array: [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// Sets every float to zero.
    func zero() {
        pointer.update(repeating: 0, count: count)
    }
}

/// A matrix of `rows` × `width` floats with a per-row "touched" flag, used as a gradient accumulator so that only
/// rows that received a gradient are summed, applied and cleared.
final class RowGradient: @unchecked Sendable {
    /// Number of rows.
    let rows: Int
    /// Floats per row.
    let width: Int
    /// The gradient values, row-major [rows, width].
    let values: FloatStorage
    /// touched[row] != 0 when the row holds a (possibly zero) gradient since the last `clear`.
    let touched: UnsafeMutablePointer<UInt8>

    /// A cleared accumulator of `rows` × `width`.
    init(rows: Int, width: Int) {
        self.rows = rows
        self.width = width
        values = FloatStorage(count: rows * width)
        touched = UnsafeMutablePointer<UInt8>.allocate(capacity: max(rows, 1))
        touched.initialize(repeating: 0, count: max(rows, 1))
    }

    deinit {
        touched.deallocate()
    }

    /// The row `row`, marked as touched.
    @inline(__always)
    func row(_ row: Int) -> UnsafeMutablePointer<Float> {
        touched[row] = 1
        return values.pointer + row * width
    }

    /// Zeroes the touched rows and clears their flags.
    func clear() {
        for row in 0..<rows where touched[row] != 0 {
            (values.pointer + row * width).update(repeating: 0, count: width)
            touched[row] = 0
        }
    }

    /// Adds the touched rows of `other` into this accumulator (this += other), marking them touched.
    func add(_ other: RowGradient) {
        for row in 0..<rows where other.touched[row] != 0 {
            axpyLoop(count: width, alpha: 1, x: other.values.pointer + row * width, y: self.row(row))
        }
    }
}
