"""Runs a policy saved by cartpole-reinforce or cartpole-dqn in PyTorch on gymnasium's CartPole-v1.

    /work/venv/bin/python examples/tools/rl/run_policy.py out/cartpole-dqn/policy.safetensors [episodes]

Builds torch.nn.Sequential(Linear, ReLU, ..., Linear) from the tensor shapes in the file, loads it with
load_state_dict(strict=True), and plays greedy episodes (argmax of the outputs) on seeds 0, 1, ...
"""
import sys

import gymnasium as gym
import torch
from safetensors.torch import load_file

state = load_file(sys.argv[1])
episodes = int(sys.argv[2]) if len(sys.argv) > 2 else 10
count = len(state) // 2
layers = []
for i in range(count):
    out_features, in_features = state[f"{2 * i}.weight"].shape
    if i > 0:
        layers.append(torch.nn.ReLU())
    layers.append(torch.nn.Linear(in_features, out_features))
net = torch.nn.Sequential(*layers)
net.load_state_dict(state, strict=True)
env = gym.make("CartPole-v1")
returns = []
for seed in range(episodes):
    obs, _ = env.reset(seed=seed)
    total, done = 0.0, False
    while not done:
        with torch.no_grad():
            action = int(net(torch.as_tensor(obs)).argmax())
        obs, reward, terminated, truncated, _ = env.step(action)
        total += reward
        done = terminated or truncated
    returns.append(total)
print(net)
print(f"gymnasium CartPole-v1, {episodes} greedy episodes: mean return {sum(returns) / len(returns):.2f}, min {min(returns):.0f}, max {max(returns):.0f}")
