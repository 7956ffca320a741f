# Prints the reference numbers of GaussianProcessTests.cs: scikit-learn's GaussianProcessRegressor set up as
# W&B's bayes search sets it up (Matern nu=1.5, alpha 1e-7, 2 optimizer restarts, y standardized by hand with
# std + 1e-6), with and without a constant factor, on small cases; and a 2-point posterior by plain formulas.
# Run with Debian's python3-sklearn (1.2.1 gave the numbers in the tests): /usr/bin/python3 sklearn_reference.py
import numpy as np, math
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, ConstantKernel as C
np.set_printoptions(precision=17)
def standardize(y):
    y=np.asarray(y,float); m=y.mean(); s=y.std()+1e-6; return (y-m)/s, m, s

def case(name, X, y, tests, constant=True, seeds=(0,1,2,3)):
    X=np.asarray(X,float); yn,m,s=standardize(y)
    res=[]
    for seed in seeds:
        k = C()*Matern(nu=1.5) if constant else Matern(nu=1.5)
        gp=GaussianProcessRegressor(kernel=k, alpha=1e-7, n_restarts_optimizer=2, random_state=seed).fit(X,yn)
        res.append(gp)
    thetas=np.array([g.kernel_.theta for g in res]); lmls=[g.log_marginal_likelihood_value_ for g in res]
    gp=res[int(np.argmax(lmls))]
    print(f"== {name} constant={constant}")
    print("  theta per seed", thetas.tolist(), "lml per seed", lmls)
    print("  kernel", gp.kernel_, "exp(theta)", np.exp(gp.kernel_.theta).tolist())
    print("  lml", repr(gp.log_marginal_likelihood_value_))
    mu,sd=gp.predict(np.asarray(tests,float), return_std=True)
    print("  predict mean (orig units)", (mu*s+m).tolist())
    print("  predict std (orig units)", (sd*s).tolist())
    # the likelihood and gradient at fixed theta
    th = np.log([0.7,0.3]) if constant else np.log([0.3])
    l,g = gp.log_marginal_likelihood(th, eval_gradient=True)
    print("  lml at", np.exp(th).tolist(), repr(l), "grad", g.tolist())

X1=[[0.0],[0.25],[0.5],[0.8],[1.0]]; y1=[math.sin(6*x[0]) for x in X1]
case("1d sin", X1, y1, [[0.1],[0.6],[0.9]])
case("1d sin", X1, y1, [[0.1],[0.6],[0.9]], constant=False)
X2=[[0.1,0.2],[0.4,0.9],[0.7,0.3],[0.9,0.8],[0.3,0.5],[0.6,0.6],[0.2,0.95],[0.85,0.1]]
y2=[(a-0.3)**2+(b-0.6)**2 for a,b in X2]
case("2d quadratic", X2, y2, [[0.3,0.6],[0.5,0.5],[0.0,1.0]])
case("2d quadratic", X2, y2, [[0.3,0.6],[0.5,0.5],[0.0,1.0]], constant=False)

# Hand-computed 2-point posterior with c=1, l=0.5 fixed (no fit): plain formulas, no library.
def matern(r,l): s=math.sqrt(3)*r/l; return (1+s)*math.exp(-s)
a=1e-7; l=0.5; y=[0.09,0.49]; m=0.29; sd=0.2+1e-6; yn=[(v-m)/sd for v in y]
k12=matern(1.0,l); K=[[1+a,k12],[k12,1+a]]; det=K[0][0]*K[1][1]-k12*k12
Ki=[[K[1][1]/det,-k12/det],[-k12/det,K[0][0]/det]]
for x in (0.3, 0.5, 0.0):
    ks=[matern(abs(x-0),l), matern(abs(x-1),l)]
    mean=sum(ks[i]*Ki[i][j]*yn[j] for i in range(2) for j in range(2))
    var=1-sum(ks[i]*Ki[i][j]*ks[j] for i in range(2) for j in range(2))
    print(f"hand 2-point x={x}: mean {mean*sd+m!r} std {math.sqrt(max(var,0))*sd!r}")
