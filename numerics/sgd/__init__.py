"""SGD-dynamics numerics (spec sgd_dynamics.md): population ODE integrators (:mod:`.ode`)
and Monte Carlo / quadrature helpers (:mod:`.montecarlo`).  The finite-d simulators live
in ``numerics.sgd.sim*`` and are imported from there directly."""
from .ode import (forgetting, hitting_time, integrate_mse_ode, integrate_overlap, integrate_overlap_vector,
                  plane_metrics, relu_kernel, relu_kernel_prime, unit_frame)

__all__ = ["forgetting", "hitting_time", "integrate_mse_ode", "integrate_overlap", "integrate_overlap_vector",
           "plane_metrics", "relu_kernel", "relu_kernel_prime", "unit_frame"]
