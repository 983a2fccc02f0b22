import HearthBinary

/// Validation of constant expressions (global and table initializers, segment offsets,
/// element items), by the function validator's typing rules restricted to constant
/// instructions (see `FunctionValidator.validateConstant`). One validator is reused for all
/// of a module's expressions.
struct ConstantExpressionValidator {
    private var validator: FunctionValidator

    init(context: ModuleContext) {
        validator = FunctionValidator(context: context)
    }

    mutating func validate(_ expression: ConstantExpression, type expected: OperandType,
                           visibleGlobals: Int) throws(HearthError) {
        try validator.validateConstant(expression, type: expected, visibleGlobals: visibleGlobals)
    }
}
