/// The recursion groups (`rec`) of a module's types: consecutive index ranges that partition
/// the type section, in order, each given by where it ends.
///
/// Not an array of `Range<Int>`: the first such array in a process makes the Swift runtime
/// look up `Int`'s `Comparable` conformance by scanning every conformance record (`FlatTable`
/// says why that matters), and the ends alone say everything the ranges would.
public struct RecursionGroups: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// Where each group ends (its range's upper bound); a group starts where the one before ends.
    public private(set) var ends: [Int] = []

    /// No groups.
    public init() {}

    /// The groups `groups`, which must follow each other from type 0 on.
    public init(arrayLiteral groups: Range<Int>...) {
        for group in groups { append(group) }
    }

    /// Adds the group `group`, which must start where the last group ends.
    public mutating func append(_ group: Range<Int>) {
        precondition(group.lowerBound == (ends.last ?? 0), "recursion groups must follow each other")
        ends.append(group.upperBound)
    }

    /// The first group's position.
    public var startIndex: Int { 0 }
    /// One past the last group's position.
    public var endIndex: Int { ends.count }

    /// The type indices of group `position`.
    public subscript(position: Int) -> Range<Int> {
        (position == 0 ? 0 : ends[position - 1])..<ends[position]
    }
}
