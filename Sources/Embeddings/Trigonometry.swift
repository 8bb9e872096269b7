import Foundation

/// cos(x) in Float (Glibc's cosf).
@inline(__always)
func cosine(_ x: Float) -> Float { cos(x) }

/// sin(x) in Float (Glibc's sinf).
@inline(__always)
func sine(_ x: Float) -> Float { sin(x) }
