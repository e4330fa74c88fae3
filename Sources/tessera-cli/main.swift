import Tessera
print(Tensor([1, 2, 3]).shape)
