#include "compiler/rewrite_budget.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "llvm/Support/raw_ostream.h"
#include "mlir/IR/Operation.h"

namespace duet::compiler {
namespace {

int64_t BudgetFromEnv() {
  const char* env = std::getenv("DUET_BISECT");
  if (!env || !*env) return -1;
  char* end = nullptr;
  long long n = std::strtoll(env, &end, 10);
  if (*end != '\0' || n < 0) {
    std::fprintf(stderr, "duet: DUET_BISECT=%s is not a count of rewrites; ignored\n", env);
    return -1;
  }
  return n;
}

std::atomic<int64_t> g_budget{BudgetFromEnv()};
std::atomic<int64_t> g_counted{0};

}  // namespace

bool MayRewrite(const char* pass, mlir::Operation* op) {
  const int64_t budget = g_budget.load(std::memory_order_relaxed);
  if (budget < 0) return true;
  const int64_t k = g_counted.fetch_add(1, std::memory_order_relaxed) + 1;
  std::string where;
  llvm::raw_string_ostream os(where);
  os << op->getName() << " at ";
  op->getLoc().print(os);
  std::fprintf(stderr, "duet: bisect: %s #%lld by %s: %s\n", k <= budget ? "rewrite" : "skipped",
               static_cast<long long>(k), pass, os.str().c_str());
  return k <= budget;
}

void SetRewriteBudget(int64_t budget) {
  g_budget.store(budget, std::memory_order_relaxed);
  g_counted.store(0, std::memory_order_relaxed);
}

int64_t RewritesCounted() { return g_counted.load(std::memory_order_relaxed); }

}  // namespace duet::compiler
