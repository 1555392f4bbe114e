@testable import ClusterCore
import Testing

@Suite("Suggestions for unknown configuration keys")
struct ConfigKeySuggestionTests {
    let known = ["maxLineLength", "idleTimeoutSeconds", "adminClockSkewSeconds"]

    @Test func aCaseSlipFindsTheKey() {
        #expect(KeySuggestion.closest(to: "MAXLINELENGTH", in: known) == "maxLineLength")
    }

    @Test func aSwapOrAMissingLetterFindsTheKey() {
        #expect(KeySuggestion.closest(to: "idelTimeoutSeconds", in: known) == "idleTimeoutSeconds")
        #expect(KeySuggestion.closest(to: "adminClockSkewSecond", in: known) == "adminClockSkewSeconds")
    }

    @Test func aKeyUnlikeAnyOtherHasNoSuggestion() {
        #expect(KeySuggestion.closest(to: "colour", in: known) == nil)
        #expect(KeySuggestion.closest(to: "x", in: []) == nil)
    }

    @Test func aTranspositionCountsAsOneEdit() {
        #expect(KeySuggestion.editDistance(Array("ab"), Array("ba")) == 1)
        #expect(KeySuggestion.editDistance(Array(""), Array("abc")) == 3)
        #expect(KeySuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
    }
}
