// SPDX-License-Identifier: MIT
/* The one loop (io/eventloop): a watched fd's input is handed over, timers
 * run when due and in the order of their times (on the fake clock, which
 * moves only by the waits), nothing runs that is not due, and a signal
 * stops the loop with its callback's status. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "io/eventloop.h"
#include "testutil.h"

typedef struct Ctx {
   int pipe[2];
   char got[16];
   int ngot;
   double a_at, b_at; /* when timers a and b are due (-1: done) */
   char order[8];
   int norder;
   int turns;
} Ctx;

static int pipe_fd(void *ctx) {
   return ((Ctx *)ctx)->pipe[0];
}

static int pipe_ready(void *ctx, double now, int ev) {
   (void)now;
   Ctx *c = ctx;
   assert_true(ev & EV_INPUT);
   ssize_t n = read(c->pipe[0], c->got + c->ngot, sizeof c->got - 1 - (size_t)c->ngot);
   assert_true(n > 0);
   c->ngot += (int)n;
   return LOOP_GO;
}

static double a_due(void *ctx, double now) {
   (void)now;
   return ((Ctx *)ctx)->a_at;
}

static int a_run(void *ctx, double now) {
   Ctx *c = ctx;
   assert_true(now >= c->a_at);
   c->order[c->norder++] = 'a';
   c->a_at = -1;
   return LOOP_GO;
}

static double b_due(void *ctx, double now) {
   (void)now;
   return ((Ctx *)ctx)->b_at;
}

static int b_run(void *ctx, double now) {
   Ctx *c = ctx;
   assert_true(now >= c->b_at);
   c->order[c->norder++] = 'b';
   return 7; /* stop */
}

static int count_turns(void *ctx, double now) {
   (void)now;
   ((Ctx *)ctx)->turns++;
   return LOOP_GO;
}

static int on_signal(void *ctx, int sig) {
   (void)ctx;
   return 128 + sig;
}

static void test_loop(void **state) {
   (void)state;
   ds_clock_fake(1764583200);
   EventLoop l;
   assert_true(EventLoop_init(&l));
   Ctx c;
   memset(&c, 0, sizeof c);
   assert_int_equal(pipe(c.pipe), 0);
   assert_int_equal(write(c.pipe[1], "hello", 5), 5);
   double t0 = ds_now_ms();
   c.a_at = t0 + 30;
   c.b_at = t0 + 100;
   LoopSpec spec = {
      .watch = {{pipe_fd, pipe_ready}},
      .nwatch = 1,
      .timer = {{b_due, b_run}, {a_due, a_run}},
      .ntimer = 2,
      .after = count_turns,
      .signal = on_signal,
      .ctx = &c,
   };
   assert_int_equal(EventLoop_run(&l, &spec), 7);
   assert_int_equal(c.ngot, 5);
   assert_memory_equal(c.got, "hello", 5);
   assert_memory_equal(c.order, "ab", 2); /* a at +30 before b at +100, whatever their order in the table */
   assert_true(ds_now_ms() - t0 >= 100);
   assert_true(c.turns <= 3); /* the input, a, b: no turn spent on nothing */

   /* a signal stops it with the signal callback's status */
   c.b_at = -1;
   raise(SIGTERM);
   assert_int_equal(EventLoop_run(&l, &spec), 128 + SIGTERM);
   EventLoop_done(&l);
   close(c.pipe[0]);
   close(c.pipe[1]);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_loop),
   };
   return cmocka_run_group_tests_name("eventloop", tests, NULL, NULL);
}
