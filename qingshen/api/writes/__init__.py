"""The API's write endpoints: thin views over the domain's services, their refusals in the error shape."""
