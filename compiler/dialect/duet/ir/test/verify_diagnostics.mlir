// RUN: duet-opt --split-input-file --verify-diagnostics %s

// A registry op is verified by the registry's own shape function.
func.func @matmul_inner_dims(%arg0: tensor<2x3xf32>, %arg1: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{[matmul] inner dimensions differ}}
  %0 = "duet.matmul"(%arg0, %arg1) {transpose_a = false, transpose_b = false} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Result types must be what the registry infers.
func.func @wrong_result_type(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{result 0 is float64(4,) but the registry infers float32(4,)}}
  %0 = "duet.add"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @arity(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expects 2 operands, got 1}}
  %0 = "duet.add"(%arg0) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @missing_attribute(%arg0: tensor<2x2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{missing attribute 'keepdims'}}
  %0 = "duet.reduce_sum"(%arg0) {axes = array<i64: 0>} : (tensor<2x2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A fusion may hold only stateless elementwise registry ops over its domain.
func.func @fusion_with_matmul(%arg0: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = "duet.fusion"(%arg0) ({
  ^bb0(%a: tensor<2x2xf32>):
    // expected-error @+1 {{cannot run inside a duet.fusion over 4 elements}}
    %1 = "duet.matmul"(%a, %a) {transpose_a = false, transpose_b = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    "duet.yield"(%1) : (tensor<2x2xf32>) -> ()
  }) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// An input must cover the domain, be one element, or broadcast to the domain's shape.
func.func @fusion_input_that_does_not_broadcast(%arg0: tensor<2x3xf32>, %arg1: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{every input must have 6 elements, one, or broadcast to}}
  %0 = "duet.fusion"(%arg0, %arg1) ({
  ^bb0(%a: tensor<2x3xf32>, %b: tensor<2xf32>):
    %1 = "duet.neg"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    "duet.yield"(%1) : (tensor<2x3xf32>) -> ()
  }) : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Values of the region's element count but another shape would expand inputs wrongly.
func.func @fusion_other_shape(%arg0: tensor<4xf32>, %arg1: tensor<2x2xf32>, %arg2: tensor<2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>) {
  // expected-error @+1 {{every result must have result 0's shape}}
  %0:2 = "duet.fusion"(%arg0, %arg1, %arg2) ({
  ^bb0(%a: tensor<4xf32>, %b: tensor<2x2xf32>, %c: tensor<2xf32>):
    %1 = "duet.neg"(%a) : (tensor<4xf32>) -> tensor<4xf32>
    %2 = "duet.add"(%b, %c) : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    "duet.yield"(%1, %2) : (tensor<4xf32>, tensor<2x2xf32>) -> ()
  }) : (tensor<4xf32>, tensor<2x2xf32>, tensor<2xf32>) -> (tensor<4xf32>, tensor<2x2xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<2x2xf32>
}

// -----

// The body sees only its arguments.
func.func @fusion_captures(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = "duet.fusion"(%arg0) ({
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{using value defined outside the region}}
    %1 = "duet.add"(%a, %arg0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    "duet.yield"(%1) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
