// DUET_BISECT=N: apply only the first N rewrites the passes would make in this process (fold
// hooks, CSE merges, DCE erasures, fusion groups, ...), numbered in the order they happen. A
// program that is right with N and wrong with N+1 was broken by rewrite N+1, which the log names:
// with DUET_BISECT set, every rewrite prints "duet: bisect: rewrite #K by <pass>: <op> at <loc>"
// to stderr. tools/bisect_passes.sh CMD finds that K by bisection. Without DUET_BISECT every
// rewrite is applied and nothing is counted or printed.
// Example (in a pass): if (!MayRewrite("cse", op)) continue;  // leave this one as it is
#pragma once

#include <cstdint>

namespace mlir {
class Operation;
}

namespace duet::compiler {

// True when `pass` may rewrite `op` now (and counts the rewrite); false once the budget is spent.
bool MayRewrite(const char* pass, mlir::Operation* op);

// Tests: replace DUET_BISECT's budget (-1: unlimited) and restart the count; the count so far.
void SetRewriteBudget(int64_t budget);
int64_t RewritesCounted();

}  // namespace duet::compiler
