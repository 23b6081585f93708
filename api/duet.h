// duet: the one public header. Everything in API.md is reachable from here, in namespace duet.
// Example:
//   #include "api/duet.h"
//   using namespace duet;
//   std::cout << matmul(constant({{2.f}}), constant({{2.f}}));
#pragma once

#include "kernels/binary_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/operators.h"
#include "kernels/unary_ops.h"
#include "runtime/context.h"
#include "runtime/tensor.h"
#include "runtime/tensor_factory.h"
