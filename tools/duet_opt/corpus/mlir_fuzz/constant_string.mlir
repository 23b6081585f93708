func.func @f() -> tensor<1xi32> {
  %0 = "duet.constant"() {value = dense<"abc"> : tensor<1xi32>} : () -> tensor<1xi32>
  return %0 : tensor<1xi32>
}
