from . import collector
from . import portal
