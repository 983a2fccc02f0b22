import HearthText
import Testing

/// Inputs the fuzz targets (`Conformance/Fuzz`) found crashing the text parser; each must now be
/// a plain error.
@Suite struct FuzzRegressionTests {
    /// FuzzText: an unclosed parenthesis after an annotation was reported by its token index,
    /// taken before the annotation's tokens were dropped: an index past the end, a crash.
    @Test func anUnclosedParenthesisAfterAnAnnotationIsAnErrorNotACrash() {
        #expect { try WAT.parseModule("(@a x y z) (") } throws: { ($0 as? HearthError)?.kind == .decode }
        #expect { try WAT.parseModule("(module (@custom \"x\" \"y\") (func (@a b c d e f)") } throws: { ($0 as? HearthError)?.kind == .decode }
    }
}
